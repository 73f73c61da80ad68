// Locating, compiling and instantiating the WebAssembly kernels built from kernels/assembly.
// Code may run from source (tsx in worker threads, vitest) or from a bundle, so the .wasm is found by
// walking up from this file to the directory holding package.json.

import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The exported kernel functions; pointers are byte offsets into the shared memory. */
export interface KernelExports {
	gemm(a: number, b: number, c: number, M: number, N: number, K: number, lda: number, ldb: number, ldc: number,
		flags: number, btype: number, bScales: number, bAux: number, scratch: number, m0: number, m1: number, n0: number, n1: number): void;
	gemmScratchBytes(): number;
	attentionScratchBytes(): number;
	/** Queries per attention block; 0: T is too long for the scratch. */
	attentionBlock(T: number, hs: number): number;
	add(a: number, b: number, out: number, i0: number, i1: number): void;
	mul(a: number, b: number, out: number, i0: number, i1: number): void;
	axpy(alpha: number, x: number, y: number, i0: number, i1: number): void;
	scale(alpha: number, x: number, y: number, i0: number, i1: number): void;
	biasAdd(y: number, bias: number, cols: number, r0: number, r1: number): void;
	biasBackward(dy: number, dbias: number, rows: number, cols: number, c0: number, c1: number): void;
	dropout(x: number, y: number, p: number, seed: number, accumulate: number, i0: number, i1: number): void;
	sumSquares(x: number, n: number): number;
	zero(p: number, bytes: number): void;
	geluForward(x: number, y: number, i0: number, i1: number): void;
	geluBackward(x: number, dy: number, dx: number, i0: number, i1: number): void;
	siluForward(x: number, y: number, i0: number, i1: number): void;
	siluBackward(x: number, dy: number, dx: number, i0: number, i1: number): void;
	swigluForward(gate: number, up: number, y: number, i0: number, i1: number): void;
	swigluBackward(gate: number, up: number, dy: number, dgate: number, dup: number, i0: number, i1: number): void;
	expForward(x: number, y: number, i0: number, i1: number): void;
	layerNormForward(x: number, w: number, b: number, y: number, mean: number, rstd: number, C: number, eps: number, r0: number, r1: number): void;
	layerNormBackward(x: number, w: number, mean: number, rstd: number, dy: number, dx: number, dw: number, db: number, N: number, C: number): void;
	rmsNormForward(x: number, w: number, y: number, rstd: number, C: number, eps: number, r0: number, r1: number): void;
	rmsNormBackward(x: number, w: number, rstd: number, dy: number, dx: number, dw: number, N: number, C: number): void;
	rope(x: number, y: number, cos: number, sin: number, T: number, H: number, hs: number, stride: number, sign: number, accumulate: number, r0: number, r1: number): void;
	softmaxForward(x: number, y: number, C: number, r0: number, r1: number): void;
	softmaxBackward(y: number, dy: number, dx: number, C: number, r0: number, r1: number): void;
	/** causal: 1 masks later keys, 0 sees all. */
	attentionForward(q: number, k: number, v: number, out: number, lse: number, T: number, NH: number, NKV: number, hs: number,
		qStride: number, kvStride: number, oStride: number, scale: number, causal: number, scratch: number, w0: number, w1: number): void;
	attentionBackward(q: number, k: number, v: number, out: number, lse: number, dout: number, dq: number, dk: number, dv: number,
		T: number, NH: number, NKV: number, hs: number, qStride: number, kvStride: number, oStride: number, scale: number,
		causal: number, scratch: number, w0: number, w1: number): void;
	crossEntropyForward(logits: number, targets: number, losses: number, lse: number, V: number, ignoreIndex: number, r0: number, r1: number): void;
	crossEntropyBackward(logits: number, targets: number, lse: number, dlogits: number, V: number, ignoreIndex: number, scale: number, r0: number, r1: number): void;
	embeddingForward(table: number, ids: number, out: number, C: number, r0: number, r1: number): void;
	embeddingBackward(dout: number, ids: number, dtable: number, N: number, C: number, c0: number, c1: number): void;
	rowNormForward(x: number, y: number, C: number, r0: number, r1: number): void;
	rowNormBackward(x: number, y: number, dy: number, dx: number, C: number, r0: number, r1: number): void;
	scaleRowsForward(x: number, s: number, y: number, C: number, r0: number, r1: number): void;
	scaleRowsBackward(x: number, s: number, dy: number, dx: number, ds: number, C: number, r0: number, r1: number): void;
	scaleColumnsForward(x: number, s: number, y: number, C: number, r0: number, r1: number): void;
	scaleColumnsBackward(s: number, dy: number, dx: number, C: number, r0: number, r1: number): void;
	columnDots(x: number, dy: number, ds: number, rows: number, C: number, c0: number, c1: number): void;
	div(a: number, b: number, out: number, i0: number, i1: number): void;
	divBackward(a: number, b: number, dy: number, da: number, db: number, i0: number, i1: number): void;
	adamw(p: number, g: number, m: number, v: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
		bc1: number, bc2: number, gradScale: number, zeroGrad: number, i0: number, i1: number): void;
}

export type KernelName = Exclude<keyof KernelExports, 'gemmScratchBytes' | 'attentionScratchBytes' | 'attentionBlock'>;

/** Kernel names in a fixed order: the thread pool sends a job as an index into this list. */
export const KERNEL_NAMES: readonly KernelName[] = [
	'gemm', 'add', 'mul', 'axpy', 'scale', 'biasAdd', 'biasBackward', 'dropout', 'sumSquares', 'geluForward', 'geluBackward',
	'siluForward', 'siluBackward', 'swigluForward', 'swigluBackward', 'expForward', 'layerNormForward', 'layerNormBackward',
	'rmsNormForward', 'rmsNormBackward', 'rope', 'softmaxForward', 'softmaxBackward', 'attentionForward', 'attentionBackward',
	'crossEntropyForward', 'crossEntropyBackward', 'embeddingForward', 'embeddingBackward', 'adamw',
	'rowNormForward', 'rowNormBackward', 'scaleRowsForward', 'scaleRowsBackward', 'scaleColumnsForward', 'scaleColumnsBackward', 'columnDots', 'div', 'divBackward', 'zero'
];

/** The repository root: the nearest ancestor of this file with a package.json. */
export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
	let dir = from;
	for (;;) {
		if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'kernels'))) return dir;
		const parent = dirname(dir);
		if (parent === dir) throw new Error(`engine: no package root above ${from}; run npm run build:kernels`);
		dir = parent;
	}
}

export interface CompiledKernels {
	module: WebAssembly.Module;
	relaxed: boolean;
}

let compiled: CompiledKernels | null = null;

/**
 * Compiles the kernels once per thread. The relaxed-SIMD build (fused multiply-add) is taken unless
 * SWIFTBOARD_RELAXED_SIMD=0: its GEMMs run about a quarter faster, the largest single gain in a
 * training step. Node 22+ validates it as is; Node 20's V8 implements it behind
 * --experimental-wasm-relaxed-simd, which is then set at run time. V8 flags are per process, so
 * every kernel thread ends up with the same build. A runtime that still refuses it gets the
 * baseline build.
 */
export function compileKernels(): CompiledKernels {
	if (compiled) return compiled;
	const dir = join(findPackageRoot(), 'kernels', 'build');
	const relaxedPath = join(dir, 'kernels-relaxed.wasm');
	const basePath = join(dir, 'kernels.wasm');
	if (!existsSync(basePath)) throw new Error(`engine: ${basePath} is missing; run npm run build:kernels`);
	if (process.env.SWIFTBOARD_RELAXED_SIMD !== '0' && existsSync(relaxedPath)) {
		const bytes = readFileSync(relaxedPath);
		if (!WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
		if (WebAssembly.validate(bytes)) {
			compiled = { module: new WebAssembly.Module(bytes), relaxed: true };
			return compiled;
		}
	}
	compiled = { module: new WebAssembly.Module(readFileSync(basePath)), relaxed: false };
	return compiled;
}

/** One instance over the shared memory; every kernel thread makes its own. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
	const instance = new WebAssembly.Instance(module, {
		env: {
			memory,
			abort: () => {
				throw new Error('engine: kernel abort');
			}
		}
	});
	return instance.exports as unknown as KernelExports;
}
