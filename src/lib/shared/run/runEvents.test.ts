import { describe, expect, it } from 'vitest';
import { parseRunEvent, runEventSchema } from './runEvents';

describe('run events', () => {
	it('parses each kind the run service emits', () => {
		const metrics = parseRunEvent({ type: 'metrics', data: { step: 3, epoch: 0.5, elapsed_ms: 120, loss: 2.5, max_steps: 10, 'rewards/margins': 0.1 } });
		expect(metrics?.type === 'metrics' && metrics.data.loss).toBe(2.5);
		expect(metrics?.type === 'metrics' && metrics.data['rewards/margins']).toBe(0.1);
		expect(parseRunEvent({ type: 'log', data: { line: 'step 3/10 loss 2.5' } })).toEqual({ type: 'log', data: { line: 'step 3/10 loss 2.5' } });
		expect(parseRunEvent({ type: 'checkpoint', data: { step: 10, name: 'checkpoint-10' } })?.type).toBe('checkpoint');
		for (const data of [{ status: 'queued' }, { status: 'running', device: 'cpu' }, { status: 'running', resumedFromStep: 4 }, { status: 'failed', error: 'out of memory' }]) {
			expect(parseRunEvent({ type: 'status', data })).toEqual({ type: 'status', data });
		}
	});

	it('rejects unknown types and data of the wrong shape', () => {
		expect(parseRunEvent({ type: 'progress', data: { step: 1 } })).toBeNull();
		expect(parseRunEvent({ type: 'status', data: { status: 'exploded' } })).toBeNull();
		expect(parseRunEvent({ type: 'metrics', data: { step: 1, epoch: 0, elapsed_ms: 1, loss: 'low' } })).toBeNull();
		expect(parseRunEvent({ type: 'log', data: 'a bare string' })).toBeNull();
		expect(parseRunEvent({ type: 'checkpoint', data: { step: -1, name: 'p' } })).toBeNull();
		const failure = runEventSchema.safeParse({ type: 'status', data: {} });
		expect(failure.error?.issues[0].path).toEqual(['data', 'status']);
	});
});
