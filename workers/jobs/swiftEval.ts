// The `swift-eval` job: `swift eval` (EvalScope under ms-swift) on a saved model or an endpoint, run by the
// device worker as a supervised process group. Its console goes to the eval's log and its progress bars
// become the eval's done/total; what it writes stays in the eval's folder, where the server reads the
// reports when the job ends (src/lib/server/engines/swift/swiftEvalReport.ts).

import fs from 'node:fs';
import path from 'node:path';
import type { EvalProgress } from '../../src/lib/shared/evalJob';
import { formatInvocation } from '../../src/lib/shared/run/swiftCommand';
import { swiftEvalInvocation } from '../../src/lib/shared/run/swiftToolCommand';
import { swiftEvalJobPayloadSchema } from '../../src/lib/shared/run/swiftToolJobs';
import { SwiftEvalProgress } from './swiftEvalProgress';
import { superviseSwift, swiftFailure } from './swiftSupervise';
import type { JobOutcome, JobRunContext, JobRunner } from './types';

export const runSwiftEval: JobRunner = async (payload, context: JobRunContext): Promise<JobOutcome> => {
	const job = swiftEvalJobPayloadSchema.parse(payload);
	const invocation = swiftEvalInvocation(job.target, job.options, job.outputDir, context.slotId);
	fs.mkdirSync(job.outputDir, { recursive: true });
	const shown = formatInvocation(invocation);
	// What ran, as a script the user can run again by hand (an endpoint's key is not written).
	fs.writeFileSync(path.join(job.outputDir, 'eval.sh'), `#!/usr/bin/env bash\nset -euo pipefail\n${shown}\n`, { mode: 0o755 });
	context.log(`$ ${shown.replaceAll(' \\\n  ', ' ')}`);

	// ms-swift prints its whole command line (`run sh: ...`), an endpoint's key included: no line leaves with it.
	const secret = job.target.kind === 'endpoint' ? job.target.apiKey : null;
	const redact = (text: string) => (secret ? text.replaceAll(secret, '<hidden>') : text);
	const redacted: JobRunContext = {
		jobId: context.jobId,
		slotId: context.slotId,
		get stopRequested() {
			return context.stopRequested;
		},
		progress: (fraction, data) => context.progress(fraction, data),
		log: (line) => context.log(redact(line))
	};

	const started = Date.now();
	const progress = new SwiftEvalProgress(job.options.datasets);
	// The existing eval progress shape, with no predictions: ms-swift keeps its own per-sample files.
	const report = (count: { done: number; total: number }) => context.progress(count.total ? count.done / count.total : 0, { kind: 'predictions', ...count, predictions: [] } satisfies EvalProgress);
	const { exit, stopped } = await superviseSwift(
		{
			bin: job.swift.bin,
			argv: invocation.argv,
			env: invocation.env,
			cwd: job.outputDir,
			stopGraceMs: job.swift.stopGraceMs,
			onLine: (line) => {
				const count = progress.read(line);
				if (count) report(count);
			}
		},
		redacted
	);
	const result = { outputDir: job.outputDir, seconds: (Date.now() - started) / 1000, ...progress.count() };
	if (stopped) return { status: 'stopped', result };
	if (exit.code === 0) return { status: 'succeeded', result };
	throw new Error(redact(swiftFailure('eval', exit).message));
};
