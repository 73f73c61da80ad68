// Section `onnx-export`: the nano multimodal model (default towers) exported to ONNX in fp32 and int8:
// the size of each graph, the int8 variant's largest logit error against fp32 on the probe prompts,
// and onnxruntime's prefill and per-token decoding time with the KV cache (one thread).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultimodalModel } from '../../../src/lib/engine/models/multimodal/model';
import { exportOnnx } from '../../../src/lib/engine/export/index';
import { createSession, decoderStep, emptyKv } from '../../../src/lib/engine/export/runtime';
import { printTable, round, type BenchSection, type Figures } from '../section';

const PROMPT = 64;
const NEW_TOKENS = 32;
const REPS = 5;

/** Best of REPS (the two cores are shared; the minimum is the least disturbed run). */
async function decodeTiming(file: string, model: MultimodalModel): Promise<{ prefillMs: number; msPerToken: number }> {
	const c = model.config.llm;
	const session = await createSession(file);
	const embeds = Float32Array.from({ length: (PROMPT + 1) * c.hidden_size }, (_, i) => Math.sin(i) * 0.1);
	const prompt = embeds.slice(0, PROMPT * c.hidden_size);
	const token = embeds.slice(PROMPT * c.hidden_size);
	let prefillMs = Infinity;
	let msPerToken = Infinity;
	for (let rep = 0; rep <= REPS; rep++) {
		const t0 = performance.now();
		let step = await decoderStep(session, c, prompt, 1, emptyKv(c, 1));
		const t1 = performance.now();
		for (let t = 0; t < NEW_TOKENS; t++) step = await decoderStep(session, c, token, 1, step.kv);
		// The first repetition warms the session up and is not counted.
		if (rep > 0) {
			prefillMs = Math.min(prefillMs, t1 - t0);
			msPerToken = Math.min(msPerToken, (performance.now() - t1) / NEW_TOKENS);
		}
	}
	await session.release();
	return { prefillMs, msPerToken };
}

export const onnxExportSection: BenchSection = {
	name: 'onnx-export',
	description: `ONNX export of the nano multimodal model: sizes, int8 logit error, onnxruntime decoding (${PROMPT}-token prefill, ${NEW_TOKENS} cached steps)`,
	async run(): Promise<Figures> {
		const model = new MultimodalModel({}, 1);
		const dir = await mkdtemp(join(tmpdir(), 'bench-onnx-'));
		try {
			const t0 = performance.now();
			const result = await exportOnnx(model, dir, { quantize: 'int8' });
			const exportMs = performance.now() - t0;
			const rows = Object.entries(result.manifest.graphs).map(([name, g]) => {
				const fp32 = result.bytes[g.files.fp32 as string];
				const int8 = result.bytes[g.files.int8 as string];
				return [name, fp32, int8, round(int8 / fp32, 3)];
			});
			printTable('Graph sizes (bytes)', ['graph', 'fp32', 'int8', 'ratio'], [...rows, ['total', result.totals.fp32 ?? 0, result.totals.int8 ?? 0, round((result.totals.int8 ?? 0) / (result.totals.fp32 ?? 1), 3)]]);
			const fp32 = await decodeTiming(join(dir, 'decoder.onnx'), model);
			const int8 = await decodeTiming(join(dir, 'decoder.int8.onnx'), model);
			printTable('onnxruntime decoder (ms)', ['variant', 'prefill', 'per token'], [['fp32', fp32.prefillMs, fp32.msPerToken], ['int8', int8.prefillMs, int8.msPerToken]]);
			console.log(`int8 max logit error against fp32: ${result.int8MaxLogitError}`);
			return {
				exportMs: round(exportMs, 0),
				fp32Bytes: result.totals.fp32 ?? 0,
				int8Bytes: result.totals.int8 ?? 0,
				int8MaxLogitError: result.int8MaxLogitError ?? 0,
				prefillMs: { fp32: round(fp32.prefillMs, 2), int8: round(int8.prefillMs, 2) },
				msPerToken: { fp32: round(fp32.msPerToken, 3), int8: round(int8.msPerToken, 3) }
			};
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	}
};
