// The DoRA row norms ||W + s B A||_row without forming the (out, in) matrix, so they stay cheap and
// work on a quantised base (which never exists in fp32):
//   ||W_o + s (BA)_o||^2 = ||W_o||^2 + 2 s B_o . (W A^T)_o + s^2 B_o^T (A A^T) B_o
// ||W_o||^2 is fixed (the base is frozen) and computed once; W A^T (out, r) is one GEMM through the
// base's own (possibly dequantising) kernel, A A^T (r, r) another.

import { linear, linearQuantized, matmul } from '../autograd/ops/index';
import { noGrad } from '../autograd/tape';
import type { Projection } from '../models/llama/projection';
import { dequantize } from '../models/llama/weights';
import type { Tensor } from '../tensor/tensor';

/** ||W_o||^2 per output row of the frozen base. */
export function baseRowNorms2(p: Projection): Float64Array {
	const w = p.weight ? p.weight.f32() : p.quantized ? dequantize(p.quantized) : null;
	if (!w) throw new Error(`${p.name} has no weight`);
	const cols = p.inFeatures;
	const out = new Float64Array(p.outFeatures);
	for (let o = 0; o < p.outFeatures; o++) {
		let s = 0;
		for (let i = 0; i < cols; i++) s += w[o * cols + i] ** 2;
		out[o] = s;
	}
	return out;
}

/** ||W + s B A||_row (out), from the cached base norms. */
export function doraRowNorms(p: Projection, A: Tensor, B: Tensor, s: number, base2: Float64Array): Float32Array {
	const r = A.shape[0];
	const OUT = p.outFeatures;
	return noGrad(() => {
		// (r, in) . W^T -> A W^T (r, out): column o is (W A^T)_o.
		const awt = (p.weight ? linear(A, p.weight) : linearQuantized(A, p.quantized as NonNullable<Projection['quantized']>)).f32();
		const gram = matmul(A, A, { transB: true }).f32();
		const b = B.f32();
		const out = new Float32Array(OUT);
		for (let o = 0; o < OUT; o++) {
			let cross = 0;
			let quad = 0;
			for (let k = 0; k < r; k++) {
				const bk = b[o * r + k];
				cross += bk * awt[k * OUT + o];
				let g = 0;
				for (let j = 0; j < r; j++) g += gram[k * r + j] * b[o * r + j];
				quad += bk * g;
			}
			out[o] = Math.sqrt(Math.max(0, base2[o] + 2 * s * cross + s * s * quad));
		}
		return out;
	});
}
