import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX, PAD_ID } from '../tokenizer/specialTokens';
import { assignFirstFit } from './firstFitBins';
import { attentionAllowed, packSamples, segmentBoundaries } from './packing';
import { SeededRandom } from './seededRandom';
import type { TokenizedSample } from './tokenizedSample';

/** Samples whose every token encodes (sample, position), so invariants can be checked token by token. */
function syntheticSamples(count: number, maxLength: number, seed: number): TokenizedSample[] {
	const random = new SeededRandom(seed);
	return Array.from({ length: count }, (_, s) => {
		const length = 1 + random.nextInt(maxLength);
		const inputIds = Array.from({ length }, (_, t) => s * 1000 + t);
		const labels = inputIds.map((id, t) => (t % 3 === 0 ? IGNORE_INDEX : id));
		return { inputIds, labels };
	});
}

describe('packSamples', () => {
	const maxLength = 64;
	const samples = syntheticSamples(200, maxLength, 11);
	const rows = packSamples(samples, { maxLength });

	it('keeps every token of every sample exactly once, in order', () => {
		const seen = rows.flatMap((row) => row.sampleIndices).sort((a, b) => a - b);
		expect(seen).toEqual(samples.map((_, i) => i));
		for (const row of rows) {
			expect(row.inputIds).toHaveLength(maxLength);
			let offset = 0;
			for (const index of row.sampleIndices) {
				const ids = samples[index].inputIds as number[];
				expect([...row.inputIds.subarray(offset, offset + ids.length)]).toEqual(ids);
				offset += ids.length;
			}
			expect(offset).toBe(row.usedLength);
			expect([...row.inputIds.subarray(row.usedLength)].every((id) => id === PAD_ID)).toBe(true);
		}
	});

	it('restarts position ids per sample and numbers segments 1..k with 0 on padding', () => {
		for (const row of rows) {
			for (let t = 0; t < maxLength; t++) {
				if (t >= row.usedLength) {
					expect(row.segmentIds[t]).toBe(0);
					continue;
				}
				const id = row.inputIds[t];
				expect(row.positionIds[t]).toBe(id % 1000);
				const segment = row.segmentIds[t];
				expect(row.sampleIndices[segment - 1]).toBe(Math.floor(id / 1000));
			}
		}
	});

	it('never trains a token to predict a token of another sample', () => {
		for (const row of rows) {
			for (let t = 0; t < maxLength; t++) {
				const target = row.nextTokenLabels[t];
				if (target === IGNORE_INDEX) continue;
				expect(row.segmentIds[t + 1]).toBe(row.segmentIds[t]);
				expect(target).toBe(row.inputIds[t + 1]);
			}
			const ends = segmentBoundaries(row).slice(1);
			for (const end of ends) expect(row.nextTokenLabels[end - 1]).toBe(IGNORE_INDEX);
		}
	});

	it('defines attention that is causal and never crosses a sample boundary', () => {
		const row = rows[0];
		const [, firstEnd] = segmentBoundaries(row);
		expect(attentionAllowed(row.segmentIds, 1, 0)).toBe(true);
		expect(attentionAllowed(row.segmentIds, 0, 1)).toBe(false);
		if (row.sampleIndices.length > 1) expect(attentionAllowed(row.segmentIds, firstEnd, firstEnd - 1)).toBe(false);
		if (row.usedLength < maxLength) expect(attentionAllowed(row.segmentIds, maxLength - 1, maxLength - 1)).toBe(false);
	});

	it('packs tightly and deterministically', () => {
		const totalTokens = samples.reduce((sum, s) => sum + s.inputIds.length, 0);
		expect(rows.length).toBeLessThan(Math.ceil(totalTokens / maxLength) * 1.25 + 1);
		expect(packSamples(samples, { maxLength })).toEqual(rows);
	});

	it('can end rows after their last sample and rejects samples that do not fit', () => {
		const unpadded = packSamples(samples, { maxLength, padToMaxLength: false });
		for (const row of unpadded) expect(row.inputIds).toHaveLength(row.usedLength);
		expect(() => packSamples([{ inputIds: [1, 2, 3], labels: [1, 2, 3] }], { maxLength: 2 })).toThrow(
			/sample 0 has 3 tokens, more than maxLength 2/
		);
		expect(() => packSamples([{ inputIds: [], labels: [] }], { maxLength: 2 })).toThrow(/empty/);
	});
});

describe('assignFirstFit', () => {
	it('places each item in the leftmost bin with room', () => {
		expect(assignFirstFit([5, 4, 3, 2, 1], 6)).toEqual([[0, 4], [1, 3], [2]]);
		expect(assignFirstFit([], 6)).toEqual([]);
	});
});
