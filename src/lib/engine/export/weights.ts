// Reads a model's fp32 parameters by HF name for export. An exported graph holds plain weights, so
// adapters must be folded in first (tuners/merge.ts, which also dequantises a quantised base).

import type { LlamaModel } from '../models/llama/model';

export class WeightReader {
	constructor(private readonly llm: LlamaModel) {
		for (const p of llm.projections) {
			if (p.adapter) throw new Error(`export: ${p.name} carries an adapter; fold it in with mergeAdapters(model) before exporting`);
			if (!p.weight) throw new Error(`export: ${p.name} has a quantised base; merge or dequantise it before exporting`);
		}
	}

	/** A copy of the parameter's values. */
	get(name: string): Float32Array {
		return this.tensor(name).f32().slice();
	}

	shape(name: string): readonly number[] {
		return this.tensor(name).shape;
	}

	has(name: string): boolean {
		return this.llm.params.has(name);
	}

	private tensor(name: string) {
		const t = this.llm.params.get(name);
		if (!t) throw new Error(`export: the model has no parameter ${name}`);
		return t;
	}
}

/** The graph interface of a linear module: x (..., in) -> (..., out) through `${module}.weight` (out, in). */
export interface LinearSink {
	linear(x: string, name: string, w: Float32Array, out: number, inFeatures: number): string;
}

export function linearOf(g: LinearSink, weights: WeightReader, x: string, module: string): string {
	const name = `${module}.weight`;
	const [out, inFeatures] = weights.shape(name);
	return g.linear(x, name, weights.get(name), out, inFeatures);
}
