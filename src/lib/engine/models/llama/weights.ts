// A base weight stored quantised (int8 / NF4) back to fp32 host values, for saving and merging.
// Reading and writing whole models lives in models/modelFiles.ts.

import type { QuantizedWeight } from '../../autograd/ops/index';
import { dequantizeInt8Ref, dequantizeNF4Ref } from '../../kernels/quant';

/** The fp32 values of a quantised weight (OUT, IN), from the bytes held in engine memory. */
export function dequantize(w: QuantizedWeight): Float32Array {
	if (w.kind === 'int8') {
		const q = new Int8Array(w.data.u8().slice().buffer);
		return Float32Array.from(dequantizeInt8Ref({ rows: w.rows, cols: w.cols, q, scales: w.scales.toArray() }));
	}
	const blockScales = new Int8Array(w.scales.u8().slice().buffer);
	const aux = (w.aux as NonNullable<QuantizedWeight['aux']>).toArray();
	return Float32Array.from(dequantizeNF4Ref({ rows: w.rows, cols: w.cols, q: w.data.u8().slice(), blockScales, aux }));
}
