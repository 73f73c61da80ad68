import { describe, expect, it } from 'vitest';
import type { StandardRow } from '../../shared/dataset';
import { countTokens } from './countTokens';
import { DatasetStatsAccumulator } from './datasetStats';
import { isValidationRow, validationRowIndices } from './split';

function row(user: string, assistant: string, extra: Partial<StandardRow> = {}): StandardRow {
	return {
		messages: [
			{ role: 'user', content: user },
			{ role: 'assistant', content: assistant }
		],
		...extra
	};
}

describe('countTokens', () => {
	it('counts UTF-8 bytes plus one per special marker', () => {
		// 2 sequence markers + 2 x (2 message markers) + bytes.
		expect(countTokens(row('hi', 'yo'))).toBe(2 + 4 + 4);
		expect(countTokens(row('中', 'é'))).toBe(2 + 4 + 3 + 2);
		// A media tag is one token, not its seven characters.
		expect(countTokens(row('<image>a', 'b', { images: ['x.png'] }))).toBe(2 + 4 + 1 + 1 + 1);
	});
});

describe('split', () => {
	it('is deterministic, follows the ratio and changes with the seed', () => {
		const split = { ratio: 0.1, seed: 7 };
		const first = validationRowIndices(10_000, split);
		expect(validationRowIndices(10_000, split)).toEqual(first);
		expect(first.length).toBeGreaterThan(850);
		expect(first.length).toBeLessThan(1150);
		expect(validationRowIndices(10_000, { ratio: 0.1, seed: 8 })).not.toEqual(first);
		expect(isValidationRow(3, { ratio: 0, seed: 1 })).toBe(false);
		expect(isValidationRow(3, { ratio: 1, seed: 1 })).toBe(true);
	});
});

describe('DatasetStatsAccumulator', () => {
	it('counts rows, turns, media, the histogram, the longest rows and the share over max_length', () => {
		const stats = new DatasetStatsAccumulator(100, { ratio: 0.5, seed: 1 });
		for (let i = 0; i < 20; i++) {
			const extra = i === 3 ? { images: ['a', 'b'], videos: ['v'] } : {};
			stats.add(row('q', 'a'.repeat(i * 10), extra), i, { file: 'f.jsonl', line: i + 1 });
		}
		const result = stats.result();
		expect(result).toMatchObject({ rows: 20, messages: 40, turns: 20, media: { image: 2, audio: 0, video: 1 } });
		expect(result.longestRows).toHaveLength(10);
		expect(result.longestRows[0]).toMatchObject({ index: 19, line: 20, file: 'f.jsonl' });
		expect(result.longestRows.map((r) => r.tokens)).toEqual([...result.longestRows.map((r) => r.tokens)].sort((a, b) => b - a));
		expect(result.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(20);
		expect(result.histogram.at(-1)?.to).toBeNull();
		// Tokens are 7 + 10i: rows 10..19 exceed 100.
		expect(result.overMaxLengthShare).toBe(0.5);
		expect(result.tokens.min).toBe(7);
		expect(result.validationRows).toBe(validationRowIndices(20, { ratio: 0.5, seed: 1 }).length);
	});
});
