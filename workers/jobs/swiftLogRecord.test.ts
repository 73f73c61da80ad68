import { describe, expect, it } from 'vitest';
import { parseConsoleDict, parseDuration, SeenRecords, swiftRecordToMetrics } from './swiftLogRecord';

// Lines as ms-swift prints them (see the console print in ms-swift's trainer callback).
const newer = "{'loss': '1.461', 'grad_norm': '1.705', 'learning_rate': '1e-05', 'token_acc': '0.6399', 'epoch': '0.016', 'global_step/max_steps': '1/189', 'elapsed_time': '2m 41s', 'remaining_time': '8h 25m 20s', 'memory(GiB)': '67.95', 'train_speed(s/it)': '161.3'}";
const older = { loss: 1.2, acc: 0.7, grad_norm: 0.9, learning_rate: 0.0001, 'memory(GiB)': 2, 'train_speed(iter/s)': 0.25, epoch: 0.5, 'global_step/max_steps': '10/20', percentage: '50.00%', elapsed_time: '40s', remaining_time: '40s' };

describe('ms-swift logging lines', () => {
	it('reads the console print, values as strings', () => {
		const record = parseConsoleDict(newer);
		expect(record?.loss).toBe('1.461');
		expect(swiftRecordToMetrics(record!, 0)).toEqual({
			step: 1,
			max_steps: 189,
			loss: 1.461,
			grad_norm: 1.705,
			learning_rate: 1e-5,
			token_acc: 0.6399,
			epoch: 0.016,
			elapsed_ms: 161_000,
			remaining_ms: 30_320_000,
			memory: 67.95 * 1024 ** 3,
			s_per_step: 161.3
		});
	});

	it('maps the older keys (percentage, train_speed(iter/s), acc) onto the same metrics', () => {
		const metrics = swiftRecordToMetrics(older, 0)!;
		expect(metrics).toMatchObject({ step: 10, max_steps: 20, token_acc: 0.7, s_per_step: 4, elapsed_ms: 40_000, memory: 2 * 1024 ** 3 });
		expect(metrics).not.toHaveProperty('percentage');
	});

	it('keeps eval and preference keys, skips the closing summary and other console lines', () => {
		expect(swiftRecordToMetrics({ eval_loss: 0.9, eval_token_acc: '0.61', 'rewards/margins': '0.3', epoch: 1, 'global_step/max_steps': '20/20' }, 5000)).toEqual({
			step: 20,
			max_steps: 20,
			eval_loss: 0.9,
			eval_token_acc: 0.61,
			'rewards/margins': 0.3,
			epoch: 1,
			elapsed_ms: 5000
		});
		expect(swiftRecordToMetrics({ last_model_checkpoint: '/x/checkpoint-20', global_step: 20 }, 0)).toBeNull();
		expect(parseConsoleDict('Train:  50%|█████     | 10/20 [00:40<00:40]')).toBeNull();
		expect(parseConsoleDict("{'best_metric': None, 'ok': True}")).toEqual({ best_metric: null, ok: true });
	});

	it('reads durations as ms-swift writes them', () => {
		expect(parseDuration('1h 2m 3s')).toBe(3_723_000);
		expect(parseDuration('5s')).toBe(5000);
		expect(parseDuration('soon')).toBeNull();
	});

	it('reports an entry once, whichever of the file and the console brings it first', () => {
		const seen = new SeenRecords();
		const train = swiftRecordToMetrics(older, 0)!;
		const evaluation = swiftRecordToMetrics({ eval_loss: 1, 'global_step/max_steps': '10/20' }, 0)!;
		expect([seen.first(train), seen.first(evaluation), seen.first(train), seen.first(evaluation)]).toEqual([true, true, false, false]);
	});
});
