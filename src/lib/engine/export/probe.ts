// Measures how far the int8 graphs' logits fall from the fp32 graphs' on fixed probe prompts: a text
// prompt and, for a multimodal model, one prompt per media kind with a deterministic synthetic input.
// Both variants run the same path a server runs (embed, splice, decoder), from the written files.

import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { LlamaConfig } from '../models/llama/config';
import { seededValues } from '../autograd/ops/gradCheck';
import type { MultimodalModel } from '../models/multimodal/model';
import { expandPlaceholders } from '../models/multimodal/samples';
import { renderPrompt } from '../tokenizer/chatTemplate';
import type { MediaKind } from '../tokenizer/specialTokens';
import type { Precision } from './graph';
import type { OnnxManifest } from './manifest';
import { createSession, decoderStep, embedIds, emptyKv, maxAbsDiff, runSingle, towerFeeds } from './runtime';

const PROMPTS: Record<MediaKind | 'text', string> = {
	text: 'Name three colours.',
	image: 'What shape is in <image>?',
	audio: 'What does <audio> sound like?',
	video: 'Which way does the shape in <video> move?'
};

interface Probe {
	ids: Int32Array;
	media?: { kind: MediaKind; start: number; data: Float32Array };
}

function probes(model: MultimodalModel | null): Probe[] {
	const out: Probe[] = [{ ids: Int32Array.from(renderPrompt([{ role: 'user', content: PROMPTS.text }]).inputIds) }];
	if (!model) return out;
	(['image', 'audio', 'video'] as const).forEach((kind, i) => {
		const r = renderPrompt([{ role: 'user', content: PROMPTS[kind] }]);
		const e = expandPlaceholders(r.inputIds, null, r.mediaPlaceholders, (k) => model.featureTokens(k));
		out.push({ ids: e.inputIds, media: { kind, start: e.starts[0], data: seededValues(model.inputSize(kind), 101 + i) } });
	});
	return out;
}

async function logitsOf(sessions: Record<string, InferenceSession>, config: LlamaConfig, model: MultimodalModel | null, probe: Probe): Promise<Float32Array> {
	const embeds = await embedIds(sessions.embed, probe.ids, 1);
	if (probe.media && model) embeds.set(await runSingle(sessions[probe.media.kind], towerFeeds(model.config, probe.media.kind, probe.media.data, 1)), probe.media.start * config.hidden_size);
	return (await decoderStep(sessions.decoder, config, embeds, 1, emptyKv(config, 1))).logits;
}

async function open(dir: string, manifest: OnnxManifest, precision: Precision): Promise<Record<string, InferenceSession>> {
	const sessions: Record<string, InferenceSession> = {};
	for (const [name, entry] of Object.entries(manifest.graphs)) {
		const file = entry.files[precision];
		if (file) sessions[name] = await createSession(join(dir, file));
	}
	return sessions;
}

/** Largest |int8 - fp32| over every logit of every probe prompt. */
export async function int8LogitError(dir: string, manifest: OnnxManifest, config: LlamaConfig, model: MultimodalModel | null): Promise<number> {
	const fp32 = await open(dir, manifest, 'fp32');
	const int8 = await open(dir, manifest, 'int8');
	try {
		let worst = 0;
		for (const probe of probes(model)) worst = Math.max(worst, maxAbsDiff(await logitsOf(int8, config, model, probe), await logitsOf(fp32, config, model, probe)));
		return worst;
	} finally {
		for (const s of [...Object.values(fp32), ...Object.values(int8)]) await s.release();
	}
}
