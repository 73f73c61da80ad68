// Finite-difference gradient checks for the tests: the op's analytic gradient (backward seeded with
// a fixed random cotangent r) against the central difference of sum(r * f(x)), element by element.

import { backward, beginStep, noGrad } from '../tape';
import { parameter } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';

/** Deterministic values in [-scale, scale). */
export function seededValues(n: number, seed: number, scale = 1): Float32Array {
	let s = seed >>> 0 || 1;
	return Float32Array.from({ length: n }, () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return ((s >>> 0) / 4294967296 * 2 - 1) * scale;
	});
}

/** A trainable persistent tensor with seeded values. */
export function testParameter(shape: number[], seed: number, scale = 1): Tensor {
	return parameter(shape, `test.${seed}`, seededValues(shape.reduce((a, b) => a * b, 1), seed, scale));
}

/** Largest |analytic - numeric| / max(1, |numeric|) over up to `samples` elements of each input. */
export function gradError(f: () => Tensor, inputs: Tensor[], samples = 24, eps = 1e-2): number {
	for (const t of inputs) t.grad?.fill(0);
	beginStep();
	const y = f();
	const r = seededValues(y.size, 977);
	backward(y, r);
	const analytic = inputs.map((t) => (t.grad as Tensor).toArray());
	const objective = () =>
		noGrad(() => {
			beginStep();
			const v = f().f32();
			let s = 0;
			for (let i = 0; i < v.length; i++) s += r[i] * v[i];
			return s;
		});
	let worst = 0;
	inputs.forEach((t, k) => {
		const stride = Math.max(1, Math.floor(t.size / samples));
		for (let i = 0; i < t.size; i += stride) {
			const x = t.f32()[i];
			t.f32()[i] = x + eps;
			const up = objective();
			t.f32()[i] = x - eps;
			const down = objective();
			t.f32()[i] = x;
			const numeric = (up - down) / (2 * eps);
			worst = Math.max(worst, Math.abs(analytic[k][i] - numeric) / Math.max(1, Math.abs(numeric)));
		}
	});
	return worst;
}
