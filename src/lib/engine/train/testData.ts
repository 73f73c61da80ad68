// Small deterministic datasets for the engine's training tests and the bench: arithmetic facts as
// chat rows (a pattern a tiny model learns in a few dozen updates), and preference pairs whose
// rejected answer is wrong.

import type { TrainRow } from './config';

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export function arithmeticRows(count: number, offset = 0): TrainRow[] {
	return Array.from({ length: count }, (_, k) => {
		const i = k + offset;
		const a = i % 10;
		const b = (i * 7 + 3) % 10;
		return {
			messages: [
				{ role: 'user', content: `${WORDS[a]} plus ${WORDS[b]}?` },
				{ role: 'assistant', content: `${a} + ${b} = ${a + b}.` }
			]
		};
	});
}

export function preferenceRows(count: number, offset = 0): TrainRow[] {
	return arithmeticRows(count, offset).map((row, k) => {
		const i = k + offset;
		const a = i % 10;
		const b = (i * 7 + 3) % 10;
		return { ...row, rejected_response: `${a} + ${b} = ${a + b + 1 + (i % 3)}.` };
	});
}
