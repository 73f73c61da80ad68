// Quantising frozen weights for the dequantise-and-matmul GEMM path (QLoRA-style base weights).
// - int8: per stored row, scale = absmax / 127, q = round(w / scale).
// - NF4: 4-bit NormalFloat codes (two per byte, low nibble first) over blocks of 64 weights; each
//   block's absmax is double-quantised: centred on the mean of all absmax values, then int8 with one
//   f32 scale per group of 256 blocks. aux layout: [0..15] code table, [16] mean, [17 + g] group scale.
// The reference dequantisers here define the format the WASM packer reads.

export const NF4_BLOCK = 64;
export const NF4_GROUP = 256;

/** The 16 NF4 levels (quantiles of N(0,1) normalised to [-1, 1], with an exact zero). */
export const NF4_CODES = Float32Array.of(
	-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
	-0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
	0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0
);

export interface Int8Weight {
	rows: number;
	cols: number;
	q: Int8Array;
	scales: Float32Array;
}

export function quantizeInt8(w: ArrayLike<number>, rows: number, cols: number): Int8Weight {
	const q = new Int8Array(rows * cols);
	const scales = new Float32Array(rows);
	for (let r = 0; r < rows; r++) {
		let m = 0;
		for (let c = 0; c < cols; c++) m = Math.max(m, Math.abs(w[r * cols + c]));
		const s = m > 0 ? m / 127 : 1;
		scales[r] = s;
		for (let c = 0; c < cols; c++) q[r * cols + c] = Math.round(w[r * cols + c] / s);
	}
	return { rows, cols, q, scales };
}

export function dequantizeInt8Ref(w: Int8Weight): Float64Array {
	return Float64Array.from(w.q, (v, i) => v * w.scales[Math.floor(i / w.cols)]);
}

export interface NF4Weight {
	rows: number;
	cols: number;
	/** ceil(n / 2) bytes of packed codes */
	q: Uint8Array;
	/** int8 block absmax, centred and scaled per group */
	blockScales: Int8Array;
	aux: Float32Array;
}

/** The absmax the kernel reconstructs for block b (f32 arithmetic, as in the kernel). */
function blockAbsmax(blockScales: Int8Array, aux: Float32Array, b: number): number {
	return Math.fround(Math.fround(blockScales[b] * aux[17 + Math.floor(b / NF4_GROUP)]) + aux[16]);
}

export function quantizeNF4(w: ArrayLike<number>, rows: number, cols: number): NF4Weight {
	const n = rows * cols;
	const blocks = Math.ceil(n / NF4_BLOCK);
	const groups = Math.ceil(blocks / NF4_GROUP);
	const absmax = new Float64Array(blocks);
	for (let i = 0; i < n; i++) {
		const b = Math.floor(i / NF4_BLOCK);
		absmax[b] = Math.max(absmax[b], Math.abs(w[i]));
	}
	const mean = absmax.reduce((s, v) => s + v, 0) / blocks;
	const aux = new Float32Array(17 + groups);
	aux.set(NF4_CODES, 0);
	aux[16] = mean;
	const blockScales = new Int8Array(blocks);
	for (let g = 0; g < groups; g++) {
		let m = 0;
		for (let b = g * NF4_GROUP; b < Math.min(blocks, (g + 1) * NF4_GROUP); b++) m = Math.max(m, Math.abs(absmax[b] - mean));
		const s = m > 0 ? m / 127 : 1;
		aux[17 + g] = s;
		for (let b = g * NF4_GROUP; b < Math.min(blocks, (g + 1) * NF4_GROUP); b++) blockScales[b] = Math.round((absmax[b] - mean) / s);
	}
	const q = new Uint8Array(Math.ceil(n / 2));
	for (let i = 0; i < n; i++) {
		const a = blockAbsmax(blockScales, aux, Math.floor(i / NF4_BLOCK));
		const x = a > 0 ? w[i] / a : 0;
		let best = 0;
		for (let c = 1; c < 16; c++) if (Math.abs(NF4_CODES[c] - x) < Math.abs(NF4_CODES[best] - x)) best = c;
		q[i >> 1] |= (i & 1) === 0 ? best : best << 4;
	}
	return { rows, cols, q, blockScales, aux };
}

export function dequantizeNF4Ref(w: NF4Weight): Float64Array {
	const n = w.rows * w.cols;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const byte = w.q[i >> 1];
		const code = (i & 1) === 0 ? byte & 15 : byte >> 4;
		out[i] = w.aux[code] * blockAbsmax(w.blockScales, w.aux, Math.floor(i / NF4_BLOCK));
	}
	return out;
}
