import type { TrainMetrics } from '../../src/lib/shared/run/runRecord';

/**
 * ms-swift's logging dicts as the console's metrics. The same dict reaches us twice: as a JSON line of
 * `logging.jsonl` (numbers) and printed on the console (values as strings, Python's repr). Two key
 * generations exist: before Feb 2026 `percentage` and `train_speed(iter/s)`, since then `train_speed(s/it)`;
 * both map onto the same keys the built-in engine reports.
 */

/** `{'loss': '1.461', 'global_step/max_steps': '1/189'}` printed by the trainer; null for any other line. */
export function parseConsoleDict(line: string): Record<string, unknown> | null {
	const text = line.trim();
	if (!text.startsWith("{'") || !text.endsWith('}')) return null;
	const record: Record<string, unknown> = {};
	const pair = /'([^']+)':\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,}]+)/g;
	for (const [, key, raw] of text.matchAll(pair)) {
		const value = raw.trim();
		if (/^['"]/.test(value)) record[key] = value.slice(1, -1);
		else if (value === 'None') record[key] = null;
		else if (value === 'True' || value === 'False') record[key] = value === 'True';
		else record[key] = Number(value);
	}
	return Object.keys(record).length ? record : null;
}

/** "1h 2m 3s" (ms-swift's elapsed_time / remaining_time) in milliseconds; null when it is not one. */
export function parseDuration(text: string): number | null {
	const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*([dhms])/g)];
	if (!parts.length) return null;
	const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;
	return parts.reduce((ms, [, n, u]) => ms + Number(n) * unit[u as keyof typeof unit], 0);
}

function numberOf(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string' || value.trim() === '') return null;
	const parsed = Number(value.trim().replace(/%$/, ''));
	return Number.isFinite(parsed) ? parsed : null;
}

/** Keys whose meaning the console names differently; everything else numeric keeps ms-swift's name. */
const renamed: Record<string, string> = { acc: 'token_acc', eval_acc: 'eval_token_acc' };
/** Text or bookkeeping keys read on purpose below, or of no use on a curve. */
const handled = new Set(['global_step/max_steps', 'elapsed_time', 'remaining_time', 'memory(GiB)', 'percentage', 'train_speed(iter/s)', 'train_speed(s/it)', 'epoch', 'global_step', 'last_model_checkpoint', 'best_model_checkpoint', 'best_metric', 'log_history', 'memory']);

/**
 * One logging dict as a metrics entry, or null for a dict that is not a logging step (the final
 * summary with `last_model_checkpoint`, or one without `global_step/max_steps`).
 */
export function swiftRecordToMetrics(record: Record<string, unknown>, lastElapsedMs: number): TrainMetrics | null {
	const progress = /^(\d+)\/(\d+)$/.exec(String(record['global_step/max_steps'] ?? ''));
	if (!progress) return null;
	const step = Number(progress[1]);
	const maxSteps = Number(progress[2]);
	const metrics: Record<string, number> = {};
	for (const [key, value] of Object.entries(record)) {
		if (handled.has(key)) continue;
		const n = numberOf(value);
		if (n !== null) metrics[renamed[key] ?? key] = n;
	}
	const elapsed = typeof record.elapsed_time === 'string' ? parseDuration(record.elapsed_time) : null;
	const remaining = typeof record.remaining_time === 'string' ? parseDuration(record.remaining_time) : null;
	const memory = numberOf(record['memory(GiB)']);
	// Both speed generations become seconds per step, the newer one's unit.
	const secondsPerIt = numberOf(record['train_speed(s/it)']);
	const itPerSecond = numberOf(record['train_speed(iter/s)']);
	const speed = secondsPerIt ?? (itPerSecond ? 1 / itPerSecond : null);
	return {
		...metrics,
		step,
		max_steps: maxSteps,
		epoch: numberOf(record.epoch) ?? 0,
		elapsed_ms: elapsed ?? lastElapsedMs,
		...(remaining !== null ? { remaining_ms: remaining } : {}),
		...(memory !== null ? { memory: memory * 1024 ** 3 } : {}),
		...(speed !== null && Number.isFinite(speed) ? { 's_per_step': speed } : {})
	};
}

/**
 * Which logging entries were already reported: the file and the console carry the same dicts, and
 * whichever arrives first is the one reported. A step has at most one training and one eval entry.
 */
export class SeenRecords {
	private readonly seen = new Set<string>();

	/** True the first time an entry of this step and kind is offered. */
	first(metrics: TrainMetrics): boolean {
		const key = `${metrics.step}:${metrics.eval_loss !== undefined ? 'eval' : 'train'}`;
		if (this.seen.has(key)) return false;
		this.seen.add(key);
		return true;
	}
}
