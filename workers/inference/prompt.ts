import { towerFeeds, embedIds, runSingle } from '../../src/lib/engine/export/runtime';
import { featureTokens } from '../../src/lib/engine/models/multimodal/config';
import { expandPlaceholders } from '../../src/lib/engine/models/multimodal/samples';
import { renderPrompt } from '../../src/lib/engine/tokenizer/chatTemplate';
import type { MediaInput } from '../../src/lib/shared/inference';
import type { ChatTurn } from '../../src/lib/shared/inference';
import type { LoadedModel } from './loadedModels';

/** A fault of the request itself (bad media, a prompt too long): the server answers 400 with it. */
export class RequestError extends Error {}

export interface Prompt {
	ids: Int32Array;
	/** (1, ids.length, C): token embeddings with each media item's features spliced in. */
	embeds: Float32Array;
}

function describe(media: readonly MediaInput[], index: number): string {
	return `attachment ${index + 1} (${media[index].kind})`;
}

/**
 * The chat rendered with the engine's template, each media tag expanded to its feature rows, media
 * decoded through the engine's pipeline (the loaders and tower inputs training uses) and run through
 * the export's tower graphs, then spliced into the embeddings.
 */
export async function buildPrompt(model: LoadedModel, messages: ChatTurn[], media: readonly MediaInput[]): Promise<Prompt> {
	let rendered;
	try {
		rendered = renderPrompt(messages);
	} catch (error) {
		throw new RequestError((error as Error).message);
	}
	const byKind = new Map<string, number[]>();
	media.forEach((m, i) => byKind.set(m.kind, [...(byKind.get(m.kind) ?? []), i]));
	for (const [kind, indexes] of byKind) {
		if (!model.multimodal) throw new RequestError(`${describe(media, indexes[0])}: this model reads text only`);
		const tags = rendered.mediaPlaceholders.filter((p) => p.kind === kind).length;
		if (tags !== indexes.length) throw new RequestError(`${describe(media, indexes[tags] ?? indexes[0])}: the messages have ${tags} <${kind}> tag(s) for ${indexes.length} ${kind} attachment(s); the n-th tag takes the n-th one`);
	}
	for (const p of rendered.mediaPlaceholders) {
		if (byKind.get(p.kind)?.[p.mediaIndex] === undefined) throw new RequestError(`the messages have a <${p.kind}> tag without a ${p.kind} attachment`);
	}
	const mm = model.multimodal;
	const expanded = mm ? expandPlaceholders(rendered.inputIds, null, rendered.mediaPlaceholders, (k) => featureTokens(mm, k)) : { inputIds: Int32Array.from(rendered.inputIds), starts: [] as number[] };
	const max = model.llm.max_position_embeddings;
	if (expanded.inputIds.length >= max) throw new RequestError(`the prompt is ${expanded.inputIds.length} tokens; this model reads at most ${max - 1}`);
	const embeds = await embedIds(model.sessions.embed, expanded.inputIds, 1);
	if (mm && model.media) {
		const cache = model.media;
		const features = await Promise.all(
			rendered.mediaPlaceholders.map(async (p) => {
				const index = (byKind.get(p.kind) as number[])[p.mediaIndex];
				let input: Float32Array;
				try {
					input = await cache.input(p.kind, media[index].file);
				} catch (error) {
					throw new RequestError(`${describe(media, index)}: ${(error as Error).message.replace(media[index].file, 'the file')}`);
				}
				return runSingle(model.sessions[p.kind], towerFeeds(mm, p.kind, input, 1));
			})
		);
		features.forEach((f, i) => embeds.set(f, expanded.starts[i] * model.llm.hidden_size));
	}
	return { ids: expanded.inputIds, embeds };
}
