// Media for training rows and prompts: resolves each row's images/audios/videos (paths relative to
// the dataset file), decodes them through loaders handed in by the caller (the device worker's
// sharp / WAV / ffmpeg loaders, workers/jobs/mediaLoaders.ts), turns them into tower inputs, and keeps those in
// memory per file: a demo-sized set is decoded once and every epoch reuses it.

import { isAbsolute, resolve } from 'node:path';
import { renderChat, renderPrompt } from '../../tokenizer/chatTemplate';
import type { ChatMessage, ChatRow } from '../../tokenizer/chatTypes';
import type { MediaKind } from '../../tokenizer/specialTokens';
import type { MultimodalConfig } from './config';
import { featureTokens } from './config';
import { expandPlaceholders, type Expanded, type MultimodalSample } from './samples';
import { pictureInput, pictureInputSize, stackAudioFrames, centreOnMedian } from './towerInputs';

export interface MediaLoaders {
	/** [3, size, size] channel-first, normalised. */
	image(path: string, size: number): Promise<Float32Array>;
	/** Log-mel [nMels, nFrames], row-major. */
	audio(path: string): Promise<{ data: Float32Array; nMels: number; nFrames: number }>;
	/** `frames` images [3, size, size] sampled evenly, in time order. */
	video(path: string, frames: number, size: number): Promise<Float32Array[]>;
}

const LISTS = { image: 'images', audio: 'audios', video: 'videos' } as const;

export class MediaFeatureCache {
	private readonly cache = new Map<string, Promise<Float32Array>>();

	constructor(
		readonly config: MultimodalConfig,
		private readonly loaders: MediaLoaders
	) {}

	get size(): number {
		return this.cache.size;
	}

	/** Tower input for one file; concurrent requests for the same file share one decode. */
	input(kind: MediaKind, path: string): Promise<Float32Array> {
		const key = `${kind}:${path}`;
		let hit = this.cache.get(key);
		if (!hit) {
			hit = this.decode(kind, path);
			// A failed decode is not cached, so a fixed file can be retried.
			hit.catch(() => this.cache.delete(key));
			this.cache.set(key, hit);
		}
		return hit;
	}

	private async decode(kind: MediaKind, path: string): Promise<Float32Array> {
		const { vision, audio, video_frames } = this.config;
		if (kind === 'image') return pictureInput(centreOnMedian(await this.loaders.image(path, vision.image_size)), vision);
		if (kind === 'audio') {
			const mel = await this.loaders.audio(path);
			return stackAudioFrames(mel.data, mel.nMels, mel.nFrames, audio);
		}
		const frames = await this.loaders.video(path, video_frames, vision.image_size);
		const per = pictureInputSize(vision);
		const out = new Float32Array(frames.length * per);
		frames.forEach((f, k) => out.set(pictureInput(centreOnMedian(f), vision), k * per));
		return out;
	}

	private async withMedia(expanded: Expanded, placeholders: readonly { kind: MediaKind; mediaIndex: number }[], lists: Partial<Record<MediaKind, readonly string[]>>, baseDir: string): Promise<MultimodalSample> {
		const media = await Promise.all(
			placeholders.map(async (p, i) => {
				const entry = lists[p.kind]?.[p.mediaIndex];
				if (typeof entry !== 'string') throw new Error(`no ${p.kind} entry ${p.mediaIndex} for the ${p.kind} tag`);
				if (/^(https?:|data:)/.test(entry)) throw new Error(`${p.kind} "${entry.slice(0, 40)}": the built-in engine reads media files, not URLs`);
				const path = isAbsolute(entry) ? entry : resolve(baseDir, entry);
				return { kind: p.kind, start: expanded.starts[i], length: featureTokens(this.config, p.kind), data: await this.input(p.kind, path) };
			})
		);
		return { inputIds: expanded.inputIds, labels: expanded.labels, media };
	}

	/**
	 * A training row -> sample. Returns null when the expanded row is longer than maxLength (cutting
	 * through a media item's features would leave it half seen) or has nothing to train.
	 */
	async trainSample(row: ChatRow, baseDir: string, maxLength: number): Promise<MultimodalSample | null> {
		const r = renderChat(row);
		const expanded = expandPlaceholders(r.inputIds, r.labels, r.mediaPlaceholders, (k) => featureTokens(this.config, k));
		if (expanded.inputIds.length > maxLength || r.trainableTokens === 0) return null;
		return this.withMedia(expanded, r.mediaPlaceholders, rowLists(row), baseDir);
	}

	/** A conversation to continue (generation): ends with an open assistant turn. */
	async promptSample(messages: ChatMessage[], lists: Partial<Record<MediaKind, readonly string[]>>, baseDir: string): Promise<MultimodalSample> {
		const r = renderPrompt(messages);
		const expanded = expandPlaceholders(r.inputIds, null, r.mediaPlaceholders, (k) => featureTokens(this.config, k));
		return this.withMedia(expanded, r.mediaPlaceholders, lists, baseDir);
	}
}

export function rowLists(row: ChatRow): Partial<Record<MediaKind, readonly string[]>> {
	return { image: row[LISTS.image], audio: row[LISTS.audio], video: row[LISTS.video] };
}
