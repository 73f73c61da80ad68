import { describe, expect, it } from 'vitest';
import { SwiftEvalProgress } from './swiftEvalProgress';

describe("swift eval's progress from EvalScope's console", () => {
	it('adds the bars of each dataset and ignores the review bars and other lines', () => {
		const progress = new SwiftEvalProgress(['gsm8k', 'arc']);
		expect(progress.read('[INFO:evalscope] Loading dataset gsm8k')).toBeNull();
		expect(progress.read('Predicting(gsm8k):  40%|████      | 4/10 [00:02<00:03,  2.10it/s]')).toEqual({ done: 4, total: 10 });
		expect(progress.read('Predicting(gsm8k):  40%|████      | 4/10 [00:02<00:03,  2.10it/s]')).toBeNull();
		expect(progress.read('Predicting(gsm8k): 100%|██████████| 10/10 [00:05<00:00,  2.00it/s]')).toEqual({ done: 10, total: 10 });
		expect(progress.read('Reviewing(gsm8k):  50%|█████     | 5/10 [00:00<00:00, 99.0it/s]')).toBeNull();
		expect(progress.read('Running[arc@ARC-Challenge]:  20%|██        | 1/5 [00:01<00:04,  1.00it/s]')).toEqual({ done: 11, total: 15 });
		expect(progress.count()).toEqual({ done: 11, total: 15 });
	});
});
