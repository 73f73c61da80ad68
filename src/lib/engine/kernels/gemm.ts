// Binding of the WASM GEMM: C (+)= op(A) . op(B) on raw pointers, split over the thread pool.
// Shapes: op(A) is (M, K), op(B) is (K, N), C is (M, N) row-major with leading dimension ldc.

import { engine } from '../tensor/runtime';
import { splitRange } from '../threads/pool';

/**
 * Element type of B. Int8: one f32 scale per stored row. NF4: 4-bit NormalFloat nibbles with int8
 * block absmax (64 weights a block) double-quantised per 256 blocks; see quant.ts.
 */
export const BType = { F32: 0, Int8: 1, NF4: 2 } as const;
export type BType = (typeof BType)[keyof typeof BType];

export interface GemmCall {
	a: number;
	b: number;
	c: number;
	M: number;
	N: number;
	K: number;
	/** A stored (K, M) instead of (M, K). */
	transA?: boolean;
	/** B stored (N, K) instead of (K, N): a weight in (out, in) layout. */
	transB?: boolean;
	/** C += instead of C =. */
	accumulate?: boolean;
	lda?: number;
	ldb?: number;
	ldc?: number;
	btype?: BType;
	bScales?: number;
	bAux?: number;
}

/** Multiply-adds below which a GEMM stays on one thread. */
const SPLIT_MIN_MACS = 1 << 18;

export function gemm(g: GemmCall): void {
	const e = engine();
	const lda = g.lda ?? (g.transA ? g.M : g.K);
	const ldb = g.ldb ?? (g.transB ? g.K : g.N);
	const ldc = g.ldc ?? g.N;
	const flags = (g.transA ? 1 : 0) | (g.transB ? 2 : 0) | (g.accumulate ? 4 : 0);
	const head = [g.a, g.b, g.c, g.M, g.N, g.K, lda, ldb, ldc, flags, g.btype ?? BType.F32, g.bScales ?? 0, g.bAux ?? 0];
	const label = e.profile === null ? undefined : `gemm ${g.transA ? 'T' : 'N'}${g.transB ? 'T' : 'N'}${g.btype ? (g.btype === BType.Int8 ? ' int8' : ' nf4') : ''}`;
	const threads = g.M * g.N * g.K >= SPLIT_MIN_MACS ? e.threads : 1;
	// Split the larger output side; splitting N keeps each thread's packed B private and smaller.
	if (g.N >= g.M || g.M < 4 * threads) {
		const ranges = splitRange(g.N, threads, 8);
		e.run('gemm', ranges.map(([n0, n1], tid) => [...head, e.scratch(tid), 0, g.M, n0, n1]), label);
	} else {
		const ranges = splitRange(g.M, threads, 4);
		e.run('gemm', ranges.map(([m0, m1], tid) => [...head, e.scratch(tid), m0, m1, 0, g.N]), label);
	}
}
