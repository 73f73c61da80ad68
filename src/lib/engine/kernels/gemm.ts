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
/** Chunks per thread for a split GEMM: enough to rebalance around a paused thread. */
const CHUNKS_PER_THREAD = 4;

export function gemm(g: GemmCall): void {
	const e = engine();
	const lda = g.lda ?? (g.transA ? g.M : g.K);
	const ldb = g.ldb ?? (g.transB ? g.K : g.N);
	const ldc = g.ldc ?? g.N;
	const flags = (g.transA ? 1 : 0) | (g.transB ? 2 : 0) | (g.accumulate ? 4 : 0);
	const head = [g.a, g.b, g.c, g.M, g.N, g.K, lda, ldb, ldc, flags, g.btype ?? BType.F32, g.bScales ?? 0, g.bAux ?? 0];
	const label = e.profile === null ? undefined : `gemm ${g.transA ? 'T' : 'N'}${g.transB ? 'T' : 'N'}${g.btype ? (g.btype === BType.Int8 ? ' int8' : ' nf4') : ''}`;
	const threads = g.M * g.N * g.K >= SPLIT_MIN_MACS ? e.threads : 1;
	if (threads === 1) {
		e.run('gemm', [[...head, e.scratch(0), 0, g.M, 0, g.N]], label);
		return;
	}
	// Split the larger output side into a few chunks per thread, claimed dynamically: on cores shared
	// with other work a paused thread then holds up one chunk, not half the product. Each chunk packs
	// its own panels, so chunks stay large enough (>= 64 columns or 32 rows) to keep that cheap.
	const SCRATCH = head.length;
	if (g.N >= g.M) {
		const parts = Math.max(threads, Math.min(CHUNKS_PER_THREAD * threads, Math.floor(g.N / 64)));
		const ranges = splitRange(g.N, parts, 8);
		e.runChunked('gemm', ranges.map(([n0, n1]) => [...head, 0, 0, g.M, n0, n1]), SCRATCH, label);
	} else {
		const parts = Math.max(threads, Math.min(CHUNKS_PER_THREAD * threads, Math.floor(g.M / 32)));
		const ranges = splitRange(g.M, parts, 4);
		e.runChunked('gemm', ranges.map(([m0, m1]) => [...head, 0, m0, m1, 0, g.N]), SCRATCH, label);
	}
}
