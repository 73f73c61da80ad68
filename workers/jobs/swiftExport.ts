// The `swift-export` job: `swift export` of a registry model (an adapter merged into its base, and/or
// quantised) into the new model's own folder, run by the device worker as a supervised process group.
// The server registers the folder as a swift model when the job succeeds (src/lib/server/engines/swift/swiftExports.ts).

import fs from 'node:fs';
import path from 'node:path';
import { formatInvocation } from '../../src/lib/shared/run/swiftCommand';
import { swiftExportInvocation } from '../../src/lib/shared/run/swiftToolCommand';
import { swiftExportJobPayloadSchema } from '../../src/lib/shared/run/swiftToolJobs';
import { superviseSwift, swiftFailure } from './swiftSupervise';
import type { JobOutcome, JobRunContext, JobRunner } from './types';

/** ms-swift's steps while exporting, as fractions of the job: loading, merging, quantising, saving. */
const STAGES: [RegExp, number][] = [
	[/loading|load the model/i, 0.1],
	[/merg/i, 0.4],
	[/quantiz|quantis|calibrat/i, 0.6],
	[/saving|successfully/i, 0.9]
];

export const runSwiftExport: JobRunner = async (payload, context: JobRunContext): Promise<JobOutcome> => {
	const job = swiftExportJobPayloadSchema.parse(payload);
	const invocation = swiftExportInvocation(job.source, job.options, job.outDir, context.slotId);
	// ms-swift refuses an output folder that exists; its parent must.
	fs.mkdirSync(path.dirname(job.outDir), { recursive: true });
	context.log(`$ ${formatInvocation(invocation).replaceAll(' \\\n  ', ' ')}`);
	let reached = 0;
	const { exit, stopped } = await superviseSwift(
		{
			bin: job.swift.bin,
			argv: invocation.argv,
			env: invocation.env,
			cwd: path.dirname(job.outDir),
			stopGraceMs: job.swift.stopGraceMs,
			onLine: (line) => {
				const stage = STAGES.find(([pattern, fraction]) => fraction > reached && pattern.test(line));
				if (stage) {
					reached = stage[1];
					context.progress(reached);
				}
			}
		},
		context
	);
	if (stopped) return { status: 'stopped' };
	if (exit.code !== 0) throw swiftFailure('export', exit);
	if (!fs.existsSync(path.join(job.outDir, 'config.json'))) throw new Error(`swift export finished without writing a model: ${job.outDir} has no config.json.`);
	context.progress(1);
	return { status: 'succeeded', result: { outDir: job.outDir } };
};
