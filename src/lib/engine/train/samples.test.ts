// Rendering rows for training: max_length cuts or drops long rows; preference rows render the
// chosen conversation and the same prompt with the rejected answer.

import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX } from '../tokenizer/specialTokens';
import { renderPreferenceRows, renderSftRows } from './samples';
import { preferenceRows } from './testData';

const long = { messages: [{ role: 'user' as const, content: 'q' }, { role: 'assistant' as const, content: 'x'.repeat(100) }] };
const short = { messages: [{ role: 'user' as const, content: 'q' }, { role: 'assistant' as const, content: 'yes' }] };

describe('rendering rows', () => {
	it('truncation_strategy right cuts, delete drops', () => {
		expect(renderSftRows([long, short], 32, 'right').map((s) => s.inputIds.length)).toEqual([32, 9]);
		expect(renderSftRows([long, short], 32, 'delete').map((s) => s.inputIds.length)).toEqual([9]);
	});

	it('preference rows share the prompt and differ in the answer', () => {
		const [pair] = renderPreferenceRows(preferenceRows(1), 128);
		const trained = (l: ArrayLike<number>) => Array.from(l).filter((v) => v !== IGNORE_INDEX).length;
		expect(trained(pair.chosen.labels)).toBeGreaterThan(0);
		expect(trained(pair.rejected.labels)).toBeGreaterThan(0);
		const prompt = Array.from(pair.chosen.labels).indexOf(Array.from(pair.chosen.labels).find((v) => v !== IGNORE_INDEX) as number);
		expect(Array.from(pair.rejected.inputIds).slice(0, prompt)).toEqual(Array.from(pair.chosen.inputIds).slice(0, prompt));
		expect(pair.rejected.inputIds).not.toEqual(pair.chosen.inputIds);
	});
});
