import { setTimeout as sleep } from 'node:timers/promises';
import { noopJobPayloadSchema } from '../../src/lib/shared/jobs';
import type { JobRunner } from './types';

/** Sleeps through a number of steps, reporting progress: proves the queue and the workers end to end. */
export const runNoop: JobRunner = async (payload, context) => {
	const { durationMs, steps } = noopJobPayloadSchema.parse(payload);
	for (let step = 1; step <= steps; step++) {
		await sleep(durationMs / steps);
		context.progress(step / steps, { step, steps });
		context.log(`noop step ${step}/${steps}`);
		if (context.stopRequested && step < steps) return { status: 'stopped', result: { steps: step } };
	}
	return { status: 'succeeded', result: { steps } };
};
