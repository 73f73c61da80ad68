// The order in which a run reads its data: per epoch a permutation fixed by (seed, epoch), cut into
// micro-batches; an optimizer update takes up to gradient_accumulation_steps of them without
// crossing an epoch's end (as HF's Trainer). The position is two integers, so a resumed run reads
// exactly what the interrupted one would have.

import { batchIndices, epochOrder } from '../data/epochOrder';

export class DataStream {
	readonly size: number;
	readonly batchSize: number;
	readonly accumulation: number;
	readonly seed: number;
	epoch = 0;
	micro = 0;
	private cached: { epoch: number; batches: number[][] } | null = null;

	constructor(size: number, batchSize: number, accumulation: number, seed: number) {
		if (size < 1) throw new Error('the training set is empty (after rendering and truncation)');
		this.size = size;
		this.batchSize = batchSize;
		this.accumulation = accumulation;
		this.seed = seed;
	}

	get microPerEpoch(): number {
		return Math.ceil(this.size / this.batchSize);
	}

	get updatesPerEpoch(): number {
		return Math.ceil(this.microPerEpoch / this.accumulation);
	}

	/** Fractional epochs done, as logged. */
	get epochProgress(): number {
		return this.epoch + this.micro / this.microPerEpoch;
	}

	private batches(epoch: number): number[][] {
		if (!this.cached || this.cached.epoch !== epoch) this.cached = { epoch, batches: batchIndices(epochOrder(this.size, this.seed, epoch), this.batchSize) };
		return this.cached.batches;
	}

	/** The sample indices of the micro-batches of the next update. */
	nextUpdate(): number[][] {
		if (this.micro >= this.microPerEpoch) {
			this.epoch++;
			this.micro = 0;
		}
		const all = this.batches(this.epoch);
		const take = all.slice(this.micro, Math.min(this.micro + this.accumulation, all.length));
		this.micro += take.length;
		return take;
	}
}
