import { describe, expect, it } from 'vitest';
import { gemm, BType } from './gemm';
import { dequantizeInt8Ref, dequantizeNF4Ref, quantizeInt8, quantizeNF4 } from './quant';
import { matmulRef } from './reference/matmul';
import { randomArray, relError } from './reference/compare';
import { fromArray, empty } from '../tensor/create';
import { beginStep } from '../autograd/tape';
import { engine } from '../tensor/runtime';

// Odd sizes straddle the 4x8 tile, the 256-deep K block, the 128-row A block and the 512-column B block.
const SHAPES: [number, number, number][] = [
	[1, 1, 1],
	[3, 5, 7],
	[4, 8, 16],
	[17, 33, 9],
	[13, 9, 300],
	[64, 40, 257],
	[130, 70, 33],
	[9, 530, 20]
];

describe('gemm', () => {
	it('runs on the relaxed-SIMD build unless SWIFTBOARD_RELAXED_SIMD=0 asks for the baseline', () => {
		expect(engine().relaxedSimd).toBe(process.env.SWIFTBOARD_RELAXED_SIMD !== '0');
	});

	for (const [M, N, K] of SHAPES) {
		for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
			it(`${M}x${N}x${K} transA=${tA} transB=${tB} (overwrite and accumulate)`, () => {
				beginStep();
				const a = randomArray(M * K, M * 7 + K);
				const b = randomArray(K * N, N * 11 + K);
				const c0 = randomArray(M * N, 5);
				const ta = fromArray(a, [M * K]);
				const tb = fromArray(b, [K * N]);
				const tc = fromArray(c0, [M * N]);
				gemm({ a: ta.ptr, b: tb.ptr, c: tc.ptr, M, N, K, transA: tA, transB: tB });
				expect(relError(tc.f32(), matmulRef(a, b, M, N, K, tA, tB))).toBeLessThan(1e-5);
				tc.set(c0);
				gemm({ a: ta.ptr, b: tb.ptr, c: tc.ptr, M, N, K, transA: tA, transB: tB, accumulate: true });
				expect(relError(tc.f32(), matmulRef(a, b, M, N, K, tA, tB, Float64Array.from(c0)))).toBeLessThan(5e-5); // C + AB may cancel to a small result
			});
		}
	}

	it('respects leading dimensions (a sub-block of a wider matrix)', () => {
		beginStep();
		const M = 5, N = 9, K = 6, ld = 20;
		const a = randomArray(M * ld, 1);
		const b = randomArray(K * ld, 2);
		const sub = (x: Float64Array, rows: number, cols: number) => Float64Array.from({ length: rows * cols }, (_, i) => x[Math.floor(i / cols) * ld + (i % cols)]);
		const c = empty([M * ld]).fill(0);
		gemm({ a: fromArray(a, [a.length]).ptr, b: fromArray(b, [b.length]).ptr, c: c.ptr, M, N, K, lda: ld, ldb: ld, ldc: ld });
		expect(relError(sub(Float64Array.from(c.f32()), M, N), matmulRef(sub(a, M, K), sub(b, K, N), M, N, K, false, false))).toBeLessThan(1e-5);
	});
});

describe('dequantise-and-matmul', () => {
	for (const [M, OUT, IN] of [[3, 5, 64], [9, 17, 130], [20, 40, 300]] as const) {
		it(`int8 and NF4 weights ${OUT}x${IN}, x.W^T and dy.W`, () => {
			beginStep();
			const w = randomArray(OUT * IN, OUT + IN, 0.5);
			const x = randomArray(M * IN, 3);
			const dy = randomArray(M * OUT, 4);
			const i8 = quantizeInt8(w, OUT, IN);
			const nf4 = quantizeNF4(w, OUT, IN);
			const cases = [
				{ btype: BType.Int8, deq: dequantizeInt8Ref(i8), data: fromArray(i8.q, [i8.q.length], { dtype: 'i8' }), scales: fromArray(i8.scales, [OUT]), aux: 0 },
				{
					btype: BType.NF4,
					deq: dequantizeNF4Ref(nf4),
					data: fromArray(nf4.q, [nf4.q.length], { dtype: 'u8' }),
					scales: fromArray(nf4.blockScales, [nf4.blockScales.length], { dtype: 'i8' }),
					aux: fromArray(nf4.aux, [nf4.aux.length]).ptr
				}
			];
			for (const q of cases) {
				// The quantised weight stays close to the original: int8 within half a step, NF4 within half its widest gap (0.3 at the ends).
				expect(relError(q.deq, w)).toBeLessThan(q.btype === BType.Int8 ? 0.01 : 0.2);
				const tx = fromArray(x, [M * IN]);
				const y = empty([M * OUT]);
				gemm({ a: tx.ptr, b: q.data.ptr, c: y.ptr, M, N: OUT, K: IN, transB: true, ldb: IN, btype: q.btype, bScales: q.scales.ptr, bAux: q.aux });
				expect(relError(y.f32(), matmulRef(x, q.deq, M, OUT, IN, false, true))).toBeLessThan(1e-5);
				const dx = empty([M * IN]);
				gemm({ a: fromArray(dy, [M * OUT]).ptr, b: q.data.ptr, c: dx.ptr, M, N: IN, K: OUT, ldb: IN, btype: q.btype, bScales: q.scales.ptr, bAux: q.aux });
				expect(relError(dx.f32(), matmulRef(dy, q.deq, M, IN, OUT, false, false))).toBeLessThan(1e-5);
			}
		});
	}
});
