// Matrix products with gradients: general 2-D matmul in any transpose layout, the (out, in)-weight
// linear layer every model uses, and the frozen quantised linear of QLoRA.

import { gemm, BType } from '../../kernels/gemm';
import { runSplit } from '../../kernels/parallel';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { gradPtr, rowsCols } from '../grad';
import { needsGrad, record } from '../tape';

export interface MatmulOptions {
	/** a is stored (K, M) */
	transA?: boolean;
	/** b is stored (N, K) */
	transB?: boolean;
}

/** c (M, N) = op(a) (M, K) . op(b) (K, N) */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
	const tA = options.transA ?? false;
	const tB = options.transB ?? false;
	const [M, K] = tA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
	const [K2, N] = tB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
	if (K !== K2) throw new Error(`engine: matmul inner sizes ${K} != ${K2}`);
	const grad = needsGrad(a, b);
	const c = empty([M, N], { requiresGrad: grad });
	gemm({ a: a.ptr, b: b.ptr, c: c.ptr, M, N, K, transA: tA, transB: tB });
	if (grad) {
		record(() => {
			const dc = c.grad;
			if (!dc) return;
			const da = gradPtr(a);
			const db = gradPtr(b);
			// dA = dC . op(B)^T, stored in A's layout.
			if (da && !tA) gemm({ a: dc.ptr, b: b.ptr, c: da, M, N: K, K: N, transB: !tB, accumulate: true });
			if (da && tA) gemm({ a: b.ptr, b: dc.ptr, c: da, M: K, N: M, K: N, transA: tB, transB: true, accumulate: true });
			// dB = op(A)^T . dC, stored in B's layout.
			if (db && !tB) gemm({ a: a.ptr, b: dc.ptr, c: db, M: K, N, K: M, transA: !tA, accumulate: true });
			if (db && tB) gemm({ a: dc.ptr, b: a.ptr, c: db, M: N, N: K, K: M, transA: true, transB: tA, accumulate: true });
		});
	}
	return c;
}

function addBias(y: Tensor, b: Tensor, rows: number, OUT: number): void {
	runSplit('biasAdd', rows, rows * OUT, 1, (r0, r1) => [y.ptr, b.ptr, OUT, r0, r1]);
}

function biasGrad(dy: Tensor, db: number, rows: number, OUT: number): void {
	runSplit('biasBackward', OUT, rows * OUT, 4, (c0, c1) => [dy.ptr, db, rows, OUT, c0, c1]);
}

/** y (..., OUT) = x (..., IN) . w^T + b, with w (OUT, IN) and b (OUT) (the llm.c / PyTorch layout). */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null): Tensor {
	const [N, IN] = rowsCols(x);
	const OUT = w.shape[0];
	if (w.shape[1] !== IN) throw new Error(`engine: linear weight [${w.shape}] for input width ${IN}`);
	const grad = needsGrad(x, w, b);
	const y = empty([...x.shape.slice(0, -1), OUT], { requiresGrad: grad });
	gemm({ a: x.ptr, b: w.ptr, c: y.ptr, M: N, N: OUT, K: IN, transB: true });
	if (b) addBias(y, b, N, OUT);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			const dx = gradPtr(x);
			const dw = gradPtr(w);
			const db = gradPtr(b);
			if (dx) gemm({ a: dy.ptr, b: w.ptr, c: dx, M: N, N: IN, K: OUT, accumulate: true }); // dx (N,IN) += dy (N,OUT) . w (OUT,IN)
			if (dw) gemm({ a: dy.ptr, b: x.ptr, c: dw, M: OUT, N: IN, K: N, transA: true, accumulate: true }); // dw (OUT,IN) += dy^T . x
			if (db) biasGrad(dy, db, N, OUT);
		});
	}
	return y;
}

/** A frozen weight (OUT, IN) stored quantised in engine memory; see kernels/quant.ts for formats. */
export interface QuantizedWeight {
	kind: 'int8' | 'nf4';
	rows: number;
	cols: number;
	/** int8 values or packed NF4 nibbles */
	data: Tensor;
	/** int8: f32 per row; NF4: int8 per 64-weight block */
	scales: Tensor;
	/** NF4 only: code table, mean, group scales */
	aux: Tensor | null;
}

/** y = x . dequant(w)^T + b. The weight is frozen: gradients flow to x (and b) only. */
export function linearQuantized(x: Tensor, w: QuantizedWeight, b: Tensor | null = null): Tensor {
	const [N, IN] = rowsCols(x);
	const OUT = w.rows;
	if (w.cols !== IN) throw new Error(`engine: quantised weight ${w.rows}x${w.cols} for input width ${IN}`);
	const btype = w.kind === 'int8' ? BType.Int8 : BType.NF4;
	const q = { btype, bScales: w.scales.ptr, bAux: w.aux ? w.aux.ptr : 0, ldb: IN };
	const grad = needsGrad(x, b);
	const y = empty([...x.shape.slice(0, -1), OUT], { requiresGrad: grad });
	gemm({ a: x.ptr, b: w.data.ptr, c: y.ptr, M: N, N: OUT, K: IN, transB: true, ...q });
	if (b) addBias(y, b, N, OUT);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			const dx = gradPtr(x);
			const db = gradPtr(b);
			if (dx) gemm({ a: dy.ptr, b: w.data.ptr, c: dx, M: N, N: IN, K: OUT, accumulate: true, ...q });
			if (db) biasGrad(dy, db, N, OUT);
		});
	}
	return y;
}
