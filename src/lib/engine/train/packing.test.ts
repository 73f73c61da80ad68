// Packing: a packed row gives every sample the loss it has alone, and a packed run trains.

import { trainableModel } from './trainableModel';
import { describe, expect, it } from 'vitest';
import { beginStep, noGrad } from '../autograd/tape';
import type { TokenizedSample } from '../data/tokenizedSample';
import { crossEntropyRef } from '../kernels/reference/loss';
import { LlamaModel } from '../models/llama/model';
import { resolveLlamaConfig } from '../models/llama/config';
import { IGNORE_INDEX } from '../tokenizer/specialTokens';
import { packDataset, packedBatch, sftBatch, type MicroBatch, type PackedItem } from './batches';
import { runMicroBatch } from './objective';
import { renderSftRows } from './samples';
import type { TrainLog } from './state';
import { arithmeticRows } from './testData';
import { scratchDir, TINY } from './testModel';
import { Trainer } from './trainer';

describe('packing', () => {
	it('gives each sample the same loss as unpacked (|diff| < 1e-5)', () => {
		const model = new LlamaModel(resolveLlamaConfig(TINY), 5);
		const samples = renderSftRows(arithmeticRows(6), 128);
		const rows = packDataset(samples, 128);
		expect(rows.length).toBeLessThan(samples.length);
		const batch = packedBatch(rows);
		const V = model.config.vocab_size;
		const packedLogits = runLogits(model, batch);
		// Walk the packed rows: each segment is one sample, in sampleIndices order.
		const order = packSamplesOrder(rows, samples);
		for (const { row, start, sample } of order) {
			const s = samples[sample];
			const n = s.inputIds.length;
			const alone = sftBatch([s]);
			const aloneLogits = runLogits(model, alone);
			const off = (row * batch.seqLength + start) * V;
			const packedLoss = crossEntropyRef(packedLogits.subarray(off, off + n * V), batch.labels.subarray(row * batch.seqLength + start, row * batch.seqLength + start + n), n, V, IGNORE_INDEX);
			const aloneLoss = crossEntropyRef(aloneLogits, alone.labels, n, V, IGNORE_INDEX);
			expect(Math.abs(packedLoss - aloneLoss)).toBeLessThan(1e-5);
		}
		// And the batch loss is the token-weighted mean of the per-sample losses.
		const whole = runMicroBatch(trainableModel(model), batch, {}, null, 0).loss;
		let num = 0;
		for (const s of samples) {
			const b = sftBatch([s]);
			num += runMicroBatch(trainableModel(model), b, {}, null, 0).loss * b.trainedTokens;
		}
		expect(Math.abs(whole - num / batch.trainedTokens)).toBeLessThan(1e-5);
	});

	it('a packed run trains', async () => {
		const logs: TrainLog[] = [];
		const trainer = await Trainer.create({
			model: TINY, tuner: { tuner_type: 'full' }, train: arithmeticRows(48), outputDir: scratchDir(),
			args: { max_steps: 20, per_device_train_batch_size: 2, max_length: 96, packing: true, learning_rate: 3e-3, logging_steps: 1, save_steps: 1000, lr_scheduler_type: 'constant' }
		});
		await trainer.run({ onLog: (m) => logs.push(m) });
		const l = logs.map((m) => m.loss as number);
		expect(l[l.length - 1]).toBeLessThan(l[0] - 0.5);
	});
});


function runLogits(model: LlamaModel, b: MicroBatch): Float32Array {
	return noGrad(() => {
		beginStep();
		return model.forward({ inputIds: b.inputIds, batchSize: b.batchSize, seqLength: b.seqLength, segments: b.segments }).toArray();
	});
}

/** Matches every packed segment back to the sample it holds (by content). */
function packSamplesOrder(rows: PackedItem[], samples: TokenizedSample[]): { row: number; start: number; sample: number }[] {
	const out: { row: number; start: number; sample: number }[] = [];
	const used = new Set<number>();
	rows.forEach((r, row) => {
		let start = 0;
		for (const length of r.lengths) {
			const ids = Array.from(r.inputIds.subarray(start, start + length));
			const sample = samples.findIndex((s, i) => !used.has(i) && s.inputIds.length === length && Array.from(s.inputIds).every((v, k) => v === ids[k]));
			expect(sample).toBeGreaterThanOrEqual(0);
			used.add(sample);
			out.push({ row, start, sample });
			start += length;
		}
	});
	expect(used.size).toBe(samples.length);
	return out;
}
