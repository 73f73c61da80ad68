// The `swift-deploy` job: `swift deploy` serving a registry model on 127.0.0.1:<a free port> for as long as
// the job runs. The device worker starts it under the same process supervision as the other swift jobs,
// waits for /health, then reports the server's URL (the console registers it as an endpoint,
// src/lib/server/engines/swift/swiftDeploys.ts) and keeps it running until the job is stopped.

import fs from 'node:fs';
import { formatInvocation } from '../../src/lib/shared/run/swiftCommand';
import { swiftDeployInvocation } from '../../src/lib/shared/run/swiftToolCommand';
import { swiftDeployJobPayloadSchema, type SwiftDeployHealthy } from '../../src/lib/shared/run/swiftToolJobs';
import { freeLocalPort, waitHealthy } from './swiftDeployHealth';
import { superviseSwift, swiftFailure } from './swiftSupervise';
import type { JobOutcome, JobRunContext, JobRunner } from './types';

export const runSwiftDeploy: JobRunner = async (payload, context: JobRunContext): Promise<JobOutcome> => {
	const job = swiftDeployJobPayloadSchema.parse(payload);
	const port = await freeLocalPort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const invocation = swiftDeployInvocation(job.source, job.options, port, context.slotId);
	fs.mkdirSync(job.workDir, { recursive: true });
	context.log(`$ ${formatInvocation(invocation).replaceAll(' \\\n  ', ' ')}`);

	let exited = false;
	let timedOut = false;
	const running = superviseSwift(
		{ bin: job.swift.bin, argv: invocation.argv, env: invocation.env, cwd: job.workDir, stopGraceMs: job.swift.stopGraceMs, stopWhen: () => timedOut },
		context
	).finally(() => (exited = true));

	const health = await waitHealthy(`${baseUrl}/health`, { timeoutMs: job.options.healthTimeoutMs, giveUp: () => exited || context.stopRequested });
	if (health.outcome === 'healthy') {
		context.log(`Serving ${job.options.servedModelName} at ${baseUrl}/v1.`);
		context.progress(1, { kind: 'healthy', baseUrl, servedModelName: job.options.servedModelName } satisfies SwiftDeployHealthy);
	} else if (health.outcome === 'timeout') {
		timedOut = true;
		context.log(`No answer from ${baseUrl}/health after ${Math.round(job.options.healthTimeoutMs / 1000)} s: stopping swift deploy.`);
	}
	const { exit, stopped } = await running;
	if (timedOut) {
		throw new Error(`swift deploy did not become healthy within ${Math.round(job.options.healthTimeoutMs / 1000)} s (SWIFTBOARD_SWIFT_DEPLOY_HEALTH_TIMEOUT_S) and was stopped.${exit.tail.length ? `\n${exit.tail.slice(-12).join('\n')}` : ''}`);
	}
	if (stopped) return { status: 'stopped' };
	// A server only ends when it is stopped: any exit of its own is a failure, even with code 0.
	if (exit.code === 0 && !exit.signal) throw new Error(`swift deploy exited on its own while it should be serving.\n${exit.tail.slice(-12).join('\n')}`);
	throw swiftFailure('deploy', exit);
};
