import type { HistogramBucket } from '../../shared/dataset';

/** Bucket edges double from 64 tokens up, so short and very long datasets both read well on one chart. */
const EDGES = [0, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];

export class TokenHistogram {
	private readonly counts = new Array<number>(EDGES.length).fill(0);

	add(tokens: number): void {
		let bucket = EDGES.length - 1;
		for (let i = 1; i < EDGES.length; i++) {
			if (tokens < EDGES[i]) {
				bucket = i - 1;
				break;
			}
		}
		this.counts[bucket]++;
	}

	buckets(): HistogramBucket[] {
		return EDGES.map((from, i) => ({ from, to: i + 1 < EDGES.length ? EDGES[i + 1] : null, count: this.counts[i] }));
	}
}
