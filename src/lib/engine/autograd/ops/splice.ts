// Splicing tower features into the token embeddings: every <image>/<audio>/<video> placeholder row
// of the (B, T, C) embeddings is overwritten by one aligned feature row. The backward routes each
// spliced row's gradient to its feature and none to the token embedding it replaced (the
// placeholder token's embedding never reaches the model, so it learns nothing).

import { gradPtr } from '../grad';
import { needsGrad, record } from '../tape';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';

export interface SpliceSource {
	/** (M, C) feature rows, or any shape whose last dimension is C. */
	features: Tensor;
	/** (M) flat row index b * T + t of each feature row in the embeddings. */
	rows: Int32Array;
}

/** embeds (B, T, C) -> (B, T, C) with every source's rows written at their positions. */
export function spliceFeatures(embeds: Tensor, sources: readonly SpliceSource[]): Tensor {
	const C = embeds.shape[embeds.shape.length - 1];
	const rowCount = embeds.size / C;
	const replaced = new Uint8Array(rowCount);
	for (const s of sources) {
		if (s.features.size !== s.rows.length * C) throw new Error(`engine: splice of [${s.features.shape}] into ${s.rows.length} rows of width ${C}`);
		for (const r of s.rows) {
			if (r < 0 || r >= rowCount) throw new Error(`engine: splice row ${r} outside ${rowCount} rows`);
			if (replaced[r]) throw new Error(`engine: splice row ${r} given twice`);
			replaced[r] = 1;
		}
	}
	const grad = needsGrad(embeds, ...sources.map((s) => s.features));
	const y = empty(embeds.shape, { requiresGrad: grad });
	const yv = y.f32();
	yv.set(embeds.f32());
	for (const s of sources) {
		const f = s.features.f32();
		s.rows.forEach((r, m) => yv.set(f.subarray(m * C, (m + 1) * C), r * C));
	}
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			if (embeds.requiresGrad) {
				gradPtr(embeds);
				const de = (embeds.grad as Tensor).f32();
				const g = dy.f32();
				for (let r = 0; r < rowCount; r++) {
					if (replaced[r]) continue;
					for (let c = 0; c < C; c++) de[r * C + c] += g[r * C + c];
				}
			}
			for (const s of sources) {
				if (!s.features.requiresGrad) continue;
				gradPtr(s.features);
				const df = (s.features.grad as Tensor).f32();
				const g = dy.f32();
				s.rows.forEach((r, m) => {
					for (let c = 0; c < C; c++) df[m * C + c] += g[r * C + c];
				});
			}
		});
	}
	return y;
}
