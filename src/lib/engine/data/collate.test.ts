import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX as X, PAD_ID } from '../tokenizer/specialTokens';
import { collateBatch } from './collate';

describe('collateBatch', () => {
	const samples = [
		{ inputIds: [10, 11, 12, 13], labels: [X, X, 12, 13] },
		{ inputIds: [20, 21], labels: [X, 21] }
	];

	it('pads on the right and shifts labels to next-token targets within each row', () => {
		const batch = collateBatch(samples);
		expect(batch.batchSize).toBe(2);
		expect(batch.seqLength).toBe(4);
		expect([...batch.inputIds]).toEqual([10, 11, 12, 13, 20, 21, PAD_ID, PAD_ID]);
		expect([...batch.attentionMask]).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
		expect([...batch.positionIds]).toEqual([0, 1, 2, 3, 0, 1, 0, 0]);
		expect([...batch.nextTokenLabels]).toEqual([X, 12, 13, X, 21, X, X, X]);
		expect([...batch.lengths]).toEqual([4, 2]);
		expect(batch.trainableTokens).toBe(3);
	});

	it('rounds the padded length up and rejects misaligned or empty input', () => {
		expect(collateBatch(samples, { padToMultipleOf: 8, padTokenId: 0 }).seqLength).toBe(8);
		expect(() => collateBatch([{ inputIds: [1, 2], labels: [1] }])).toThrow(/2 input ids but 1 labels/);
		expect(() => collateBatch([])).toThrow(/empty batch/);
	});
});
