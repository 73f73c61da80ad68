// The LoRA projection as one op: y = x W^T + s (xd A^T) B^T, where W is the frozen base (fp32 or
// quantised, dequantised inside the GEMM), xd is x after LoRA dropout (or x itself), A (r, in) and
// B (out, r) the adapter. Every term is a GEMM writing or accumulating straight into y and into the
// gradients, so the adapter costs no element-wise passes over (N, out) in either direction; only
// the rank-r intermediate (N, r) is scaled.

import { gradPtr, rowsCols } from '../grad';
import { needsGrad, record } from '../tape';
import type { QuantizedWeight } from './index';
import { BType, gemm, type GemmCall } from '../../kernels/gemm';
import { runSplit } from '../../kernels/parallel';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';

/** The frozen base: an fp32 weight (out, in) or a quantised one. */
export type FrozenWeight = { weight: Tensor } | { quantized: QuantizedWeight };

function baseOperand(w: FrozenWeight): Pick<GemmCall, 'b' | 'btype' | 'bScales' | 'bAux'> & { OUT: number; IN: number } {
	if ('weight' in w) return { b: w.weight.ptr, OUT: w.weight.shape[0], IN: w.weight.shape[1] };
	const q = w.quantized;
	return { b: q.data.ptr, btype: q.kind === 'int8' ? BType.Int8 : BType.NF4, bScales: q.scales.ptr, bAux: q.aux ? q.aux.ptr : 0, OUT: q.rows, IN: q.cols };
}

function scaleInPlace(t: Tensor, alpha: number): void {
	runSplit('scale', t.size, t.size, 4, (i0, i1) => [alpha, t.ptr, t.ptr, i0, i1]);
}

/** x, xd (..., in) -> (..., out). Gradients reach x, xd, A and B; the base W is frozen. */
export function loraLinear(x: Tensor, xd: Tensor, base: FrozenWeight, A: Tensor, B: Tensor, s: number): Tensor {
	const [N, IN] = rowsCols(x);
	const { OUT, IN: WIN, ...w } = baseOperand(base);
	const r = A.shape[0];
	if (WIN !== IN || A.shape[1] !== IN || B.shape[0] !== OUT || B.shape[1] !== r || xd.size !== x.size) {
		throw new Error(`engine: loraLinear shapes x [${x.shape}], W ${OUT}x${WIN}, A [${A.shape}], B [${B.shape}]`);
	}
	const grad = needsGrad(x, xd, A, B);
	const y = empty([...x.shape.slice(0, -1), OUT], { requiresGrad: grad });
	const us = empty([N, r]); // s * (xd A^T)
	gemm({ a: x.ptr, c: y.ptr, M: N, N: OUT, K: IN, transB: true, ldb: IN, ...w });
	gemm({ a: xd.ptr, b: A.ptr, c: us.ptr, M: N, N: r, K: IN, transB: true });
	scaleInPlace(us, s);
	gemm({ a: us.ptr, b: B.ptr, c: y.ptr, M: N, N: OUT, K: r, transB: true, accumulate: true });
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			const dx = gradPtr(x);
			const dxd = gradPtr(xd);
			const dA = gradPtr(A);
			const dB = gradPtr(B);
			// dx += dy W (the base); dB += dy^T us
			if (dx) gemm({ a: dy.ptr, c: dx, M: N, N: IN, K: OUT, accumulate: true, ldb: IN, ...w });
			if (dB) gemm({ a: dy.ptr, b: us.ptr, c: dB, M: OUT, N: r, K: N, transA: true, accumulate: true });
			if (!dA && !dxd) return;
			// du = s * dy B (N, r); dA += du^T xd; dxd += du A
			const du = empty([N, r]);
			gemm({ a: dy.ptr, b: B.ptr, c: du.ptr, M: N, N: r, K: OUT });
			scaleInPlace(du, s);
			if (dA) gemm({ a: du.ptr, b: xd.ptr, c: dA, M: r, N: IN, K: N, transA: true, accumulate: true });
			if (dxd) gemm({ a: du.ptr, b: A.ptr, c: dxd, M: N, N: IN, K: r, accumulate: true });
		});
	}
	return y;
}
