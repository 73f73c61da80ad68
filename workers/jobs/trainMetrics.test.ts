import { describe, expect, it } from 'vitest';
import { metricsLogLine, toTrainMetrics } from './trainMetrics';

describe('train metrics', () => {
	it('keeps finite numbers and adds the planned steps', () => {
		const m = toTrainMetrics({ step: 5, epoch: 0.5, loss: 1.25, tokens_per_s: 900, elapsed_ms: 40, grad_norm: Number.NaN } as never, 20, 0);
		expect(m).toEqual({ step: 5, epoch: 0.5, loss: 1.25, tokens_per_s: 900, elapsed_ms: 40, max_steps: 20 });
		expect(metricsLogLine(m, 20)).toBe('step 5/20 loss 1.2500');
	});

	it('gives an evaluation entry the last elapsed time and its own log line', () => {
		const m = toTrainMetrics({ step: 10, epoch: 1, eval_loss: 0.5 } as never, 20, 77);
		expect(m.elapsed_ms).toBe(77);
		expect(metricsLogLine(m, 20)).toBe('eval at step 10: eval_loss 0.5000');
		expect(metricsLogLine(toTrainMetrics({ step: 20, epoch: 2 } as never, 20, 0), 20)).toBeNull();
	});
});
