import { describe, expect, it } from 'vitest';
import { backward, beginStep } from '../../src/lib/engine/autograd/tape';
import { ResumableAdamW } from '../../src/lib/engine/train/optimizer';
import { fromArray } from '../../src/lib/engine/tensor/create';
import { engine } from '../../src/lib/engine/tensor/runtime';
import { noGrad } from '../../src/lib/engine/autograd/tape';
import type { Tensor } from '../../src/lib/engine/tensor/tensor';
import { GPT2, GPT2_PARAM_NAMES, gpt2ParamShapes } from './gpt2';

describe('GPT-2 reference model', () => {
	const config = { vocabSize: 32, maxSeqLen: 16, layers: 2, heads: 2, channels: 16 };

	it('lays parameters out like llm.c (contiguous, in order)', () => {
		const model = new GPT2(config);
		const shapes = gpt2ParamShapes(config);
		let offset = 0;
		for (const t of model.parameters()) {
			expect(t.ptr).toBe(model.flat.ptr + offset * 4);
			expect(t.shape).toEqual(shapes[t.name as keyof typeof shapes]);
			offset += t.size;
		}
		expect(offset).toBe(model.numParams);
	});

	it('overfits a short sequence and reuses the step arena without growing memory', () => {
		const model = new GPT2(config, 7);
		const opt = new ResumableAdamW(model.namedParameters(), { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 });
		const [B, T] = [2, 12];
		const seq = Array.from({ length: B * (T + 1) }, (_, i) => (i * 7 + 3) % config.vocabSize);
		const inputs = fromArray(seq.filter((_, i) => i % (T + 1) !== T), [B, T], { dtype: 'i32', lifetime: 'persistent' });
		const targets = fromArray(seq.filter((_, i) => i % (T + 1) !== 0), [B, T], { dtype: 'i32', lifetime: 'persistent' });
		const losses: number[] = [];
		let used = 0;
		for (let step = 0; step < 30; step++) {
			beginStep();
			const { loss } = model.forward(inputs, targets);
			if (!loss) throw new Error('no loss');
			losses.push(loss.item());
			backward(loss);
			opt.step(1e-2);
			if (step === 2) used = engine().heap.used;
		}
		expect(losses[0]).toBeGreaterThan(Math.log(config.vocabSize) - 0.5);
		expect(losses[29]).toBeLessThan(losses[0] * 0.5);
		expect(engine().heap.used).toBe(used);
	});

	it('whole-model gradients (tied embedding included) match finite differences in f32', () => {
		const model = new GPT2({ vocabSize: 16, maxSeqLen: 8, layers: 1, heads: 2, channels: 8 }, 3);
		const tokens = fromArray([1, 5, 9, 2, 7, 3, 3, 0, 11, 4, 6, 8], [2, 6], { dtype: 'i32', lifetime: 'persistent' });
		const targets = fromArray([5, 9, 2, 7, 3, -100, 0, 11, 4, 6, 8, 15], [2, 6], { dtype: 'i32', lifetime: 'persistent' });
		beginStep();
		const out = model.forward(tokens, targets);
		backward(out.loss as Tensor);
		const lossAt = () => noGrad(() => {
			beginStep();
			return (model.forward(tokens, targets).loss as Tensor).item();
		});
		const h = 1e-2;
		for (const name of GPT2_PARAM_NAMES) {
			const p = model.params[name];
			const g = (p.grad as Tensor).f32();
			// The largest gradient entry of each tensor: well above f32 finite-difference noise.
			let i = 0;
			for (let j = 0; j < g.length; j++) if (Math.abs(g[j]) > Math.abs(g[i])) i = j;
			const analytic = g[i];
			const old = p.f32()[i];
			p.f32()[i] = old + h;
			const up = lossAt();
			p.f32()[i] = old - h;
			const down = lossAt();
			p.f32()[i] = old;
			const numeric = (up - down) / (2 * h);
			expect(Math.abs(numeric - analytic), name).toBeLessThan(2e-3 + 2e-2 * Math.abs(analytic));
		}
	});
});
