// Symmetric int8 weight quantisation with one scale per output column: w ~ q * scale, q in
// [-127, 127], scale = max |w| of the column / 127. Per-column scales keep a column of small
// weights from being rounded to zero by a large neighbour.

export interface QuantizedColumns {
	/** (in, out) int8, row-major like the fp32 matrix. */
	values: Int8Array;
	/** (out) fp32 */
	scales: Float32Array;
}

/** t (rows, cols) row-major, quantised column by column. */
export function quantizeColumns(t: Float32Array, rows: number, cols: number): QuantizedColumns {
	const scales = new Float32Array(cols);
	for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) scales[c] = Math.max(scales[c], Math.abs(t[r * cols + c]));
	// A column of zeros keeps scale 1 (any scale reproduces it; 0 would divide by zero).
	for (let c = 0; c < cols; c++) scales[c] = scales[c] > 0 ? scales[c] / 127 : 1;
	const values = new Int8Array(t.length);
	for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = Math.max(-127, Math.min(127, Math.round(t[r * cols + c] / scales[c])));
	return { values, scales };
}
