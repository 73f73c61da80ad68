// Synthetic multimodal rows for the Trainer's tests: questions about images, audio clips and videos
// whose answers depend on the file, with media loaders that derive each file's pixels or log-mel
// values from its name (the test's own decoders; shipped runs hand in the server's).

import { SeededRandom } from '../../data/seededRandom';
import type { TrainRow } from '../../train/config';
import type { MediaLoaders } from './mediaPipeline';

function seedOf(path: string): number {
	let h = 7;
	for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x2c1b3c6d) >>> 0;
	return h || 1;
}

function values(path: string, n: number, scale = 1): Float32Array {
	const r = new SeededRandom(seedOf(path), 1);
	return Float32Array.from({ length: n }, () => (2 * r.nextFloat() - 1) * scale);
}

/** Mel bins the loaders produce: TINY_MULTIMODAL's audio tower takes 6. */
export const TEST_MEL_BINS = 6;

export const testMediaLoaders: MediaLoaders = {
	image: async (path, size) => values(path, 3 * size * size),
	audio: async (path) => ({ data: values(path, TEST_MEL_BINS * 16, 4), nMels: TEST_MEL_BINS, nFrames: 16 }),
	video: async (path, frames, size) => Array.from({ length: frames }, (_, k) => values(`${path}#${k}`, 3 * size * size))
};

const WORDS = ['red', 'blue', 'green', 'one', 'two', 'three'];

/** count rows cycling through image, audio, video, mixed and text-only questions (media paths relative). */
export function multimodalRows(count: number, offset = 0): TrainRow[] {
	return Array.from({ length: count }, (_, k) => {
		const i = k + offset;
		const answer = WORDS[i % WORDS.length];
		const user = (content: string) => ({ role: 'user' as const, content });
		const reply = { role: 'assistant' as const, content: answer };
		switch (i % 5) {
			case 0: return { messages: [user('<image>colour?'), reply], images: [`img${i % 3}.png`] };
			case 1: return { messages: [user('<audio>count?'), reply], audios: [`clip${i % 3}.wav`] };
			case 2: return { messages: [user('<video>what?'), reply], videos: [`vid${i % 3}.mp4`] };
			case 3: return { messages: [user('<image><audio>both?'), reply], images: [`img${(i + 1) % 3}.png`], audios: [`clip${(i + 2) % 3}.wav`] };
			default: return { messages: [user(`say ${answer}`), reply] };
		}
	});
}
