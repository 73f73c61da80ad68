// ONNX export of the engine's models, for serving with onnxruntime (or any ONNX runtime).
//
//   const result = await exportOnnx(model, 'out/onnx', { quantize: 'int8' });
//
// `model` is a LlamaModel (text) or a MultimodalModel, with adapters merged (tuners/merge.ts).
// Writes into outDir:
//   embed.onnx     input_ids (batch, sequence) int64 -> inputs_embeds (batch, sequence, C)
//   decoder.onnx   inputs_embeds, attention_mask (batch, total_sequence) int64, position_ids
//                  (batch, sequence) int64, past_key_values.<l>.key/value (batch, NKV, past_sequence, hs)
//                  -> logits (batch, sequence, V), present.<l>.key/value (batch, NKV, total_sequence, hs),
//                     present_new.<l>.key/value (batch, NKV, sequence, hs)
//   image.onnx     picture (count, N * (p^2 + 3))             -> features (count, F_image, C)
//   audio.onnx     audio_frames (count, N, stack * mels)      -> features (count, F_audio, C)
//   video.onnx     video (count, frames, N * (p^2 + 3))       -> features (count, F_video, C)
//   *.int8.onnx    with quantize 'int8': decoder and towers with every linear weight int8
//                  (per-output-channel scales, DequantizeLinear + MatMul); embed stays fp32
//   manifest.json  graphs and their tensors, tokenizer, chat template, media preprocessing,
//                  feature positions per placeholder, configs (see manifest.ts)
// and returns { files, bytes (per file), totals (bytes per precision), manifest, int8MaxLogitError }.
// The int8 error is the largest |int8 - fp32| logit over fixed probe prompts (text, and one per
// media kind for a multimodal model), run from the written files (probe.ts).
//
// Ops used (opset 17, all in onnxruntime's CPU provider): Gather, MatMul, Add, Sub, Mul, Reciprocal,
// Sqrt, ReduceMean (RMSNorm), LayerNormalization, Tanh (GELU), Sigmoid (SiLU), Softmax, Split,
// Concat, Reshape, Transpose, Unsqueeze, Squeeze, Shape, Range, LessOrEqual, Cast, And, Where (the
// causal and padding mask), Identity, DequantizeLinear (int8).

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LlamaModel } from '../models/llama/model';
import { MultimodalModel } from '../models/multimodal/model';
import { decoderGraph, embedGraph } from './decoder';
import type { GraphBuilder, Precision } from './graph';
import { buildManifest, graphEntry, type GraphEntry, type OnnxManifest } from './manifest';
import { int8LogitError } from './probe';
import { TOWER_GRAPHS } from './towers';

export type { OnnxManifest } from './manifest';
export { createSession, decoderStep, embedIds, emptyKv } from './runtime';

export interface ExportOptions {
	/** Also write int8 weight-only variants of the decoder and towers. */
	quantize?: 'int8';
}

export interface OnnxExport {
	/** Paths written, manifest.json last. */
	files: string[];
	/** Size on disk of each file, by name. */
	bytes: Record<string, number>;
	/** Bytes of the graphs a server loads for each precision. */
	totals: Partial<Record<Precision, number>>;
	manifest: OnnxManifest;
	/** Largest |int8 - fp32| logit on the probe prompts, when int8 was asked for. */
	int8MaxLogitError?: number;
}

/** The graphs of a model; quantisable ones take the precision, embed is fp32 in both variants. */
function graphSources(llm: LlamaModel, multimodal: MultimodalModel | null): Record<string, { build: (p: Precision) => GraphBuilder; quantised: boolean }> {
	const sources: Record<string, { build: (p: Precision) => GraphBuilder; quantised: boolean }> = {
		embed: { build: () => embedGraph(llm), quantised: false },
		decoder: { build: (p) => decoderGraph(llm, p), quantised: true }
	};
	if (multimodal) for (const [kind, build] of Object.entries(TOWER_GRAPHS)) sources[kind] = { build: (p) => build(multimodal, p), quantised: true };
	return sources;
}

export async function exportOnnx(model: LlamaModel | MultimodalModel, outDir: string, options: ExportOptions = {}): Promise<OnnxExport> {
	if (options.quantize !== undefined && options.quantize !== 'int8') throw new Error(`export: quantize must be 'int8' or absent, got ${JSON.stringify(options.quantize)}`);
	const multimodal = model instanceof MultimodalModel ? model : null;
	const llm = multimodal ? multimodal.llm : model;
	if (!(llm instanceof LlamaModel)) throw new Error('export: model must be a LlamaModel or a MultimodalModel');
	const precisions: Precision[] = options.quantize ? ['fp32', 'int8'] : ['fp32'];
	await mkdir(outDir, { recursive: true });
	const files: string[] = [];
	const bytes: Record<string, number> = {};
	const totals: Partial<Record<Precision, number>> = {};
	const graphs: Record<string, GraphEntry> = {};
	for (const [name, source] of Object.entries(graphSources(llm, multimodal))) {
		const entry: Partial<Record<Precision, string>> = {};
		let described: GraphBuilder | null = null;
		for (const precision of precisions) {
			const file = precision === 'fp32' || !source.quantised ? `${name}.onnx` : `${name}.${precision}.onnx`;
			entry[precision] = file;
			if (file in bytes) {
				totals[precision] = (totals[precision] ?? 0) + bytes[file];
				continue;
			}
			const g = source.build(precision);
			described ??= g;
			const encoded = g.encode();
			await writeFile(join(outDir, file), encoded);
			files.push(join(outDir, file));
			bytes[file] = encoded.length;
			totals[precision] = (totals[precision] ?? 0) + encoded.length;
		}
		graphs[name] = graphEntry(described as GraphBuilder, entry);
	}
	const manifest = buildManifest(llm.config, multimodal?.config ?? null, graphs);
	let int8MaxLogitError: number | undefined;
	if (options.quantize) {
		int8MaxLogitError = await int8LogitError(outDir, manifest, llm.config, multimodal);
		manifest.quantization = {
			int8: { method: 'weight-only symmetric int8, one scale per output channel, DequantizeLinear (axis 1) + MatMul', quantised: 'every linear weight of the decoder, the towers and the aligners (lm_head included); embeddings, norms and position tables stay fp32', bytes: totals.int8, fp32_bytes: totals.fp32, max_logit_error: int8MaxLogitError, probe: 'fixed prompts: text, and one synthetic image, audio and video prompt for a multimodal model' }
		};
	}
	const manifestText = JSON.stringify(manifest, null, '\t');
	await writeFile(join(outDir, 'manifest.json'), manifestText);
	files.push(join(outDir, 'manifest.json'));
	bytes['manifest.json'] = Buffer.byteLength(manifestText);
	return { files, bytes, totals, manifest, int8MaxLogitError };
}
