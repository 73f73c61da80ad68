// Drives the device worker's `train` runner in-process, as a device worker would: a job payload in,
// progress reports (metrics, checkpoints) collected, and an optional stop request once a step is
// reached. The bench measures the path a run of the console takes, not a copy of it.

import { runConfigSchema, type RunConfigInput } from '../../../src/lib/shared/run/runConfig';
import { trainProgressSchema, type TrainJobPayload, type TrainMetrics } from '../../../src/lib/shared/run/runRecord';
import { runTrain } from '../../../workers/jobs/train';

export interface TrainJobReport {
	status: 'succeeded' | 'stopped';
	metrics: TrainMetrics[];
	checkpoints: string[];
	/** Loss per logged step. */
	losses: Map<number, number>;
	/** From the start of the job to its last training log (model, media decoding, updates). */
	trainMs: number;
	wallMs: number;
}

export interface TrainJobOptions {
	runDir: string;
	datasetPath: string;
	valDatasetPath?: string | null;
	modelDir?: string | null;
	resumeFrom?: string | null;
	config: Partial<RunConfigInput>;
	/** Ask the job to stop once this step has been logged. */
	stopAtStep?: number;
	log?: (line: string) => void;
}

export async function runTrainJob(o: TrainJobOptions): Promise<TrainJobReport> {
	const config = runConfigSchema.parse({ name: 'bench', dataset: 'bench', ...o.config });
	const payload: TrainJobPayload = { runId: 'bench', runDir: o.runDir, datasetPath: o.datasetPath, valDatasetPath: o.valDatasetPath ?? null, resumeFrom: o.resumeFrom ?? null, modelDir: o.modelDir ?? null, config };
	const report: TrainJobReport = { status: 'succeeded', metrics: [], checkpoints: [], losses: new Map(), trainMs: 0, wallMs: 0 };
	const started = performance.now();
	let stopRequested = false;
	const outcome = await runTrain(payload, {
		jobId: 'bench',
		slotId: 'cpu',
		get stopRequested() {
			return stopRequested;
		},
		progress: (_fraction, data) => {
			const parsed = trainProgressSchema.safeParse(data);
			if (!parsed.success) return;
			const p = parsed.data;
			if (p.kind === 'checkpoint') report.checkpoints.push(p.path);
			if (p.kind !== 'metrics') return;
			report.metrics.push(p.metrics);
			if (p.metrics.loss === undefined) return;
			report.losses.set(p.metrics.step, p.metrics.loss);
			report.trainMs = performance.now() - started;
			if (o.stopAtStep !== undefined && p.metrics.step >= o.stopAtStep) stopRequested = true;
		},
		log: o.log ?? (() => {})
	});
	report.status = outcome.status;
	report.wallMs = performance.now() - started;
	return report;
}
