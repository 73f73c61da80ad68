import type { TrainLog } from '../../src/lib/engine/train/index';
import type { TrainMetrics } from '../../src/lib/shared/run/runRecord';

/**
 * An engine log entry as the server's metrics: numbers only (text entries are dropped), with the
 * run's planned step count, and the last known elapsed time for entries that carry none (evaluations).
 */
export function toTrainMetrics(log: TrainLog, maxSteps: number, lastElapsedMs: number): TrainMetrics {
	const metrics: Record<string, number> = {};
	for (const [key, value] of Object.entries(log)) if (typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
	return { ...metrics, step: metrics.step ?? 0, epoch: metrics.epoch ?? 0, elapsed_ms: metrics.elapsed_ms ?? lastElapsedMs, max_steps: maxSteps };
}

/** The run log's line for a metrics entry, or null when it carries neither a loss nor an eval loss. */
export function metricsLogLine(metrics: TrainMetrics, maxSteps: number): string | null {
	if (metrics.loss !== undefined) return `step ${metrics.step}/${maxSteps} loss ${metrics.loss.toFixed(4)}${metrics.token_acc !== undefined ? ` token_acc ${metrics.token_acc.toFixed(3)}` : ''}`;
	if (metrics.eval_loss !== undefined) return `eval at step ${metrics.step}: eval_loss ${metrics.eval_loss.toFixed(4)}`;
	return null;
}
