/**
 * A device worker for the stream benchmark: it speaks the real worker protocol but, instead of
 * training, reports `max_steps` metric points at a fixed interval, each stamped with the time it was
 * posted, so the benchmark can measure worker -> server -> socket.io client latency.
 */
import { parentPort } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { workerCommandSchema, type WorkerEvent } from '../../../src/lib/shared/workerProtocol';

if (!parentPort) throw new Error('metricEmitterWorker must run as a worker thread');
const port = parentPort;
const post = (event: WorkerEvent) => port.postMessage(event);
const intervalMs = Number(process.env.BENCH_EMIT_INTERVAL_MS ?? '10');

port.on('message', (raw: unknown) => {
	const command = workerCommandSchema.parse(raw);
	if (command.type !== 'start') return;
	void (async () => {
		const { config } = command.payload as { config: { max_steps: number } };
		const steps = config.max_steps;
		post({ type: 'progress', jobId: command.jobId, progress: 0, data: { kind: 'plan', maxSteps: steps, startStep: 0 } });
		for (let step = 1; step <= steps; step++) {
			const metrics = { step, max_steps: steps, epoch: step / steps, loss: 2 / step, elapsed_ms: step * intervalMs, bench_sent_at: performance.timeOrigin + performance.now() };
			post({ type: 'progress', jobId: command.jobId, progress: step / steps, data: { kind: 'metrics', metrics } });
			if (intervalMs > 0) await sleep(intervalMs);
		}
		post({ type: 'succeeded', jobId: command.jobId });
	})();
});

post({ type: 'ready' });
