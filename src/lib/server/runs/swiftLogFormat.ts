import type { TrainMetrics } from '../../shared/run/runRecord';

/** "1h 2m 3s", the way ms-swift prints elapsed_time and remaining_time. */
export function formatDuration(ms: number): string {
	const total = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	if (h) return `${h}h ${m}m ${s}s`;
	if (m) return `${m}m ${s}s`;
	return `${s}s`;
}

const round = (value: number, digits: number) => Number(value.toPrecision(digits));

/**
 * One logging.jsonl line with ms-swift's keys, so tools that read ms-swift's output (its plots,
 * users' scripts) read SwiftBoard's runs too.
 */
export function toSwiftLogRecord(metrics: TrainMetrics): Record<string, number | string> {
	const record: Record<string, number | string> = {};
	const { step, max_steps, epoch, elapsed_ms, remaining_ms, memory, tokens_per_s, ...rest } = metrics;
	for (const [key, value] of Object.entries(rest)) {
		if (typeof value === 'number') record[key] = round(value, 6);
	}
	record.epoch = round(epoch, 4);
	record['global_step/max_steps'] = `${step}/${max_steps ?? '?'}`;
	record.elapsed_time = formatDuration(elapsed_ms);
	if (remaining_ms !== undefined) record.remaining_time = formatDuration(remaining_ms);
	if (memory !== undefined) record['memory(GiB)'] = round(memory / 1024 ** 3, 4);
	if (tokens_per_s !== undefined) record['train_speed(tokens/s)'] = round(tokens_per_s, 5);
	if (step > 0 && elapsed_ms > 0) record['train_speed(s/it)'] = round(elapsed_ms / 1000 / step, 5);
	return record;
}
