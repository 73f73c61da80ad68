/**
 * Progress of `swift eval` read from EvalScope's console: a tqdm bar per dataset while it predicts,
 * `Predicting(gsm8k):  40%|████      | 4/10 [00:02<00:03, 2.1it/s]` (EvalScope 0.x) or
 * `Running[gsm8k@main]:  40%|...| 4/10` (1.x). Review bars (`Reviewing(gsm8k)`) score what was already
 * predicted and do not move the count. Datasets not started yet count as unknown until their bar appears.
 */

const BAR = /^(Predicting|Running|Reviewing)[([]([A-Za-z][\w]*)(?:@[\w-]+)?[)\]][^|]*\|[^|]*\|\s*(\d+)\/(\d+)/;

export interface EvalCount {
	done: number;
	total: number;
}

export class SwiftEvalProgress {
	private readonly perDataset = new Map<string, EvalCount>();

	constructor(private readonly datasets: readonly string[]) {}

	/** Reads one console line; the new overall count when the line moved it, else null. */
	read(line: string): EvalCount | null {
		const bar = BAR.exec(line.trim());
		if (!bar || bar[1] === 'Reviewing') return null;
		const [, , dataset, done, total] = bar;
		const before = this.perDataset.get(dataset);
		const next = { done: Number(done), total: Number(total) };
		if (before && before.done === next.done && before.total === next.total) return null;
		this.perDataset.set(dataset, next);
		return this.count();
	}

	/** Done over total of the datasets seen; a dataset not yet seen adds nothing to either. */
	count(): EvalCount {
		let done = 0;
		let total = 0;
		for (const name of new Set([...this.datasets, ...this.perDataset.keys()])) {
			const count = this.perDataset.get(name);
			if (count) {
				done += count.done;
				total += count.total;
			}
		}
		return { done, total };
	}
}
