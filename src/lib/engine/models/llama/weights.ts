// Reading and writing the decoder's weights by HF name, as plain Float32Arrays (what safetensors
// files hold). A base weight stored quantised is dequantised on the way out.

import type { QuantizedWeight } from '../../autograd/ops/index';
import { dequantizeInt8Ref, dequantizeNF4Ref } from '../../kernels/quant';
import { llamaParamShapes } from './config';
import type { LlamaModel } from './model';

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

/** Every weight of the full model (HF order), quantised bases dequantised; adapters not applied. */
export function modelWeights(model: LlamaModel): [string, number[], Float32Array][] {
	return llamaParamShapes(model.config).map(([name, shape]) => {
		const t = model.params.get(name);
		if (t) return [name, shape, t.toArray()];
		const p = model.projection(name);
		if (p?.quantized) return [name, shape, dequantize(p.quantized)];
		throw new Error(`engine: no tensor for ${name}`);
	});
}

/** Copies values into the model's fp32 tensors; every name must exist with the right size. */
export function loadModelWeights(model: LlamaModel, get: (name: string) => Float32Array | undefined): void {
	for (const [name, shape] of llamaParamShapes(model.config)) {
		const values = get(name);
		if (!values) throw new Error(`checkpoint has no tensor ${name}`);
		const t = model.params.get(name);
		if (!t) throw new Error(`engine: ${name} is not an fp32 tensor of this model (quantise after loading)`);
		if (values.length !== t.size) throw new Error(`${name}: ${values.length} values for shape [${shape}]`);
		t.set(values);
	}
}
