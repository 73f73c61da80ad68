/**
 * Device worker: one thread per compute device slot. Runs one job at a time, reports progress, logs
 * and the outcome to the server, and honours stop requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { jobRunners } from './jobs/index';
import { killLiveGroups } from './jobs/swiftProcess';
import type { JobRunContext } from './jobs/types';
import { workerCommandSchema, type WorkerEvent } from '../src/lib/shared/workerProtocol';

if (!parentPort) throw new Error('device-worker must run as a worker thread');
const port = parentPort;
const { slotId } = workerData as { slotId: string };

let current: { jobId: string; stopRequested: boolean } | null = null;

function post(event: WorkerEvent): void {
	port.postMessage(event);
}

async function runJob(jobId: string, kind: string, payload: unknown): Promise<void> {
	const runner = jobRunners[kind];
	if (!runner) {
		post({ type: 'failed', jobId, error: `This device cannot run jobs of kind "${kind}".` });
		return;
	}
	const state = { jobId, stopRequested: false };
	current = state;
	const context: JobRunContext = {
		jobId,
		slotId,
		get stopRequested() {
			return state.stopRequested;
		},
		progress: (progress, data) => post({ type: 'progress', jobId, progress: Math.min(1, Math.max(0, progress)), data }),
		log: (line) => post({ type: 'log', jobId, line })
	};
	try {
		const outcome = await runner(payload, context);
		post({ type: outcome.status, jobId, result: outcome.result });
	} catch (error) {
		post({ type: 'failed', jobId, error: error instanceof Error ? error.message : String(error) });
	} finally {
		current = null;
	}
}

port.on('message', (raw: unknown) => {
	const parsed = workerCommandSchema.safeParse(raw);
	if (!parsed.success) return;
	const command = parsed.data;
	if (command.type === 'start') {
		if (current) {
			post({ type: 'failed', jobId: command.jobId, error: `Device ${slotId} is busy with job ${current.jobId}.` });
			return;
		}
		void runJob(command.jobId, command.kind, command.payload);
	} else if (command.type === 'stop' && current?.jobId === command.jobId) {
		current.stopRequested = true;
	} else if (command.type === 'shutdown') {
		// Terminating a thread runs none of its exit handlers, so ms-swift's process groups are ended here.
		killLiveGroups();
		process.exit(0);
	}
});

post({ type: 'ready' });
