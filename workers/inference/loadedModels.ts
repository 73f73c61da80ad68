import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { OnnxManifest } from '../../src/lib/engine/export/manifest';
import type { LlamaConfig } from '../../src/lib/engine/models/llama/config';
import type { MultimodalConfig } from '../../src/lib/engine/models/multimodal/config';
import { MediaFeatureCache } from '../../src/lib/engine/models/multimodal/mediaPipeline';
import { mediaLoaders } from '../jobs/mediaLoaders';

export type Provider = 'cpu' | 'cuda';

/** One export's graphs, loaded for one precision. */
export interface LoadedModel {
	key: string;
	manifest: OnnxManifest;
	llm: LlamaConfig;
	multimodal: MultimodalConfig | null;
	sessions: Record<string, ort.InferenceSession>;
	/** Tower inputs per media file, decoded with the engine's pipeline (as training does). */
	media: MediaFeatureCache | null;
	bytes: number;
}

function sessionOptions(provider: Provider): ort.InferenceSession.SessionOptions {
	return { executionProviders: [provider], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
}

/** Whether this onnxruntime build can run CUDA at all (the CUDA provider library installed beside it). */
export function cudaAvailable(): boolean {
	return ort.listSupportedBackends().some((b) => b.name === 'cuda');
}

/**
 * Loaded exports kept warm, least recently used first out when the graphs' bytes pass the bound.
 * A model in use by a generation is never evicted under it (`pinned`).
 */
export class LoadedModels {
	private readonly models = new Map<string, Promise<LoadedModel>>();
	private readonly sizes = new Map<string, number>();

	constructor(
		private readonly maxBytes: number,
		/** CUDA on a GPU slot until a session fails to open with it; then the CPU for good. */
		public provider: Provider,
		private readonly pinned: (key: string) => boolean,
		private readonly onFallback: (reason: string) => void
	) {}

	private async open(file: string): Promise<ort.InferenceSession> {
		if (this.provider === 'cuda') {
			try {
				return await ort.InferenceSession.create(file, sessionOptions('cuda'));
			} catch (error) {
				this.provider = 'cpu';
				this.onFallback((error as Error).message);
			}
		}
		return ort.InferenceSession.create(file, sessionOptions('cpu'));
	}

	get(dir: string, precision: 'fp32' | 'int8'): Promise<LoadedModel> {
		const key = `${dir}#${precision}`;
		let hit = this.models.get(key);
		if (hit) this.models.delete(key);
		else {
			hit = this.load(key, dir, precision);
			hit.catch(() => this.models.delete(key));
		}
		this.models.set(key, hit);
		return hit;
	}

	private async load(key: string, dir: string, precision: 'fp32' | 'int8'): Promise<LoadedModel> {
		const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as OnnxManifest;
		const multimodal = manifest.model_type === 'multimodal' ? (manifest.config as MultimodalConfig) : null;
		const llm = multimodal ? multimodal.llm : (manifest.config as LlamaConfig);
		const sessions: Record<string, ort.InferenceSession> = {};
		let bytes = 0;
		for (const [name, entry] of Object.entries(manifest.graphs)) {
			const file = entry.files[precision] ?? entry.files.fp32;
			if (!file) continue;
			bytes += (await stat(join(dir, file))).size;
			sessions[name] = await this.open(join(dir, file));
		}
		this.sizes.set(key, bytes);
		await this.evict(key);
		return { key, manifest, llm, multimodal, sessions, media: multimodal ? new MediaFeatureCache(multimodal, mediaLoaders) : null, bytes };
	}

	private async evict(keep: string): Promise<void> {
		let total = [...this.sizes.values()].reduce((a, b) => a + b, 0);
		for (const key of [...this.models.keys()]) {
			if (total <= this.maxBytes) break;
			if (key === keep || this.pinned(key)) continue;
			const model = this.models.get(key);
			this.models.delete(key);
			total -= this.sizes.get(key) ?? 0;
			this.sizes.delete(key);
			const loaded = await model?.catch(() => null);
			if (loaded) for (const s of Object.values(loaded.sessions)) await s.release();
		}
	}
}
