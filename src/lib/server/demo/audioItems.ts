import { encodeWav16 } from '../../engine/media/wavEncode';
import { mediaKey, type DemoItem } from './demoItem';
import { QUESTION_TEXT } from '../../shared/demo/questionTypes';
import type { Rng } from './rng';
import { PITCHES, type PitchName } from '../../shared/demo/vocabulary';

export const AUDIO_RATE = 16000;
const CLIP_SECONDS = 1.5;
/** Frequency ranges an octave and more apart, so "low" and "high" are never ambiguous. */
const PITCH_HZ: Record<PitchName, [number, number]> = { low: [300, 450], high: [1200, 1600] };
const RAMP_SECONDS = 0.008;

/** Raised-cosine attack and release, so beeps start and stop without clicks. */
function envelope(i: number, length: number, ramp: number): number {
	if (i < ramp) return 0.5 - 0.5 * Math.cos((Math.PI * i) / ramp);
	if (i >= length - ramp) return 0.5 - 0.5 * Math.cos((Math.PI * (length - i)) / ramp);
	return 1;
}

/** 1.5 s at 16 kHz: 1-4 equal-pitch sine beeps over faint noise, asked about count and pitch. */
export function audioItems(rng: Rng): DemoItem[] {
	const count = rng.int(1, 4);
	const pitch = rng.pick(PITCHES);
	const [lo, hi] = PITCH_HZ[pitch];
	const freq = lo + rng.next() * (hi - lo);
	const amplitude = 0.4 + rng.next() * 0.3;
	const samples = new Float32Array(Math.round(CLIP_SECONDS * AUDIO_RATE));
	for (let i = 0; i < samples.length; i++) samples[i] = (rng.next() - 0.5) * 0.01;
	const ramp = Math.round(RAMP_SECONDS * AUDIO_RATE);
	let at = Math.round((0.05 + rng.next() * 0.15) * AUDIO_RATE);
	for (let b = 0; b < count; b++) {
		const length = Math.round((0.1 + rng.next() * 0.04) * AUDIO_RATE);
		for (let i = 0; i < length; i++) samples[at + i] += amplitude * envelope(i, length, ramp) * Math.sin((2 * Math.PI * freq * i) / AUDIO_RATE);
		at += length + Math.round((0.08 + rng.next() * 0.06) * AUDIO_RATE);
	}
	const bytes = encodeWav16(samples, AUDIO_RATE);
	const key = mediaKey(bytes);
	return [
		{ modality: 'audio', key, question: QUESTION_TEXT.audioCount, answer: String(count), bytes },
		{ modality: 'audio', key, question: QUESTION_TEXT.audioPitch, answer: pitch, bytes }
	];
}
