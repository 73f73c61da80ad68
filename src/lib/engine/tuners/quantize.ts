// Replaces a projection's fp32 base weight by a frozen quantised copy (QLoRA's base): NF4 with
// double-quantised block scales (quant_bits 4) or int8 rows (quant_bits 8). The fp32 memory goes
// back to the heap; the GEMM dequantises block by block, so no fp32 copy of the weight ever exists.

import { quantizeInt8, quantizeNF4 } from '../kernels/quant';
import { quantizedWeight } from '../kernels/quantized-weight';
import type { LlamaModel } from '../models/llama/model';
import type { Projection } from '../models/llama/projection';
import { free } from '../tensor/create';

export function quantizeProjection(model: LlamaModel, p: Projection, bits: 4 | 8): void {
	const w = p.weight;
	if (!w) return;
	const values = w.toArray();
	const q = bits === 4 ? quantizeNF4(values, p.outFeatures, p.inFeatures) : quantizeInt8(values, p.outFeatures, p.inFeatures);
	p.quantized = quantizedWeight(q, p.weightName);
	free(w);
	p.weight = null;
	model.params.delete(p.weightName);
}

/** Bytes of engine memory the base projections take, and what they would take in fp32. */
export function projectionBytes(model: LlamaModel): { stored: number; fp32: number } {
	let stored = 0;
	let fp32 = 0;
	for (const p of model.projections) {
		fp32 += p.inFeatures * p.outFeatures * 4;
		if (p.weight) stored += p.weight.bytes;
		else if (p.quantized) stored += p.quantized.data.bytes + p.quantized.scales.bytes + (p.quantized.aux?.bytes ?? 0);
	}
	return { stored, fp32 };
}
