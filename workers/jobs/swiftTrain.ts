// The `swift-train` job: a run on the swift engine. The device worker starts `swift sft` / `swift rlhf`
// with the invocation the Train page previewed (one builder, src/lib/shared/run/swiftCommand.ts), with
// the slot's GPUs, follows its logging.jsonl, console and checkpoint folders, and reports them as the
// built-in runner does. A stop request ends the process group: SIGTERM, then SIGKILL after a grace period.

import fs from 'node:fs';
import path from 'node:path';
import { runConfigSchema } from '../../src/lib/shared/run/runConfig';
import { formatInvocation, swiftInvocation, trainScript, type CommandPaths } from '../../src/lib/shared/run/swiftCommand';
import { swiftTrainJobPayloadSchema, type SwiftTrainJobPayload } from '../../src/lib/shared/run/swiftJob';
import type { TrainMetrics } from '../../src/lib/shared/run/runRecord';
import { SwiftOutputWatcher } from './swiftOutput';
import { parseConsoleDict, SeenRecords, swiftRecordToMetrics } from './swiftLogRecord';
import { SwiftProcess, type SwiftExit } from './swiftProcess';
import { swiftFailure } from './swiftSupervise';
import type { JobOutcome, JobRunContext, JobRunner } from './types';

/** How often the output folder is read and a stop request looked for. */
const POLL_MS = 100;

function commandPaths(job: SwiftTrainJobPayload): CommandPaths {
	return {
		datasetPath: job.datasetPath,
		valDatasetPath: job.valDatasetPath,
		// The run's own folder: ms-swift's logging.jsonl, args.json and checkpoint-N/ land where the console
		// lists them. The console therefore writes no logging.jsonl of its own for swift runs (RunService).
		outputDir: job.runDir,
		savedModel: job.savedModel,
		resume: job.resumeFrom ? { checkpoint: job.resumeFrom, onlyModel: false } : null
	};
}

/** Runs a swift-engine run to its end, a stop or a failure. */
export const runSwiftTrain: JobRunner = async (payload, context: JobRunContext): Promise<JobOutcome> => {
	const job = swiftTrainJobPayloadSchema.parse(payload);
	const config = runConfigSchema.parse(job.config);
	const paths = commandPaths(job);
	const invocation = swiftInvocation(config, paths, context.slotId);
	fs.mkdirSync(job.runDir, { recursive: true });
	// What ran, as a script the user can run again by hand.
	fs.writeFileSync(path.join(job.runDir, 'train.sh'), trainScript(config, paths, context.slotId), { mode: 0o755 });
	context.log(`$ ${formatInvocation(invocation).replaceAll(' \\\n  ', ' ')}`);

	const startStep = job.resumeFrom ? Number(/checkpoint-(\d+)$/.exec(job.resumeFrom)?.[1] ?? 0) : 0;
	const watcher = new SwiftOutputWatcher(job.runDir);
	const seen = new SeenRecords();
	let total = 0;
	let lastElapsed = 0;
	let lastCheckpoint: string | null = job.resumeFrom;
	let globalStep = startStep;

	const report = (record: Record<string, unknown>) => {
		const metrics: TrainMetrics | null = swiftRecordToMetrics(record, lastElapsed);
		if (!metrics || !seen.first(metrics)) return;
		if (total === 0 && metrics.max_steps) {
			total = metrics.max_steps;
			context.progress(startStep / total, { kind: 'plan', maxSteps: total, startStep });
		}
		lastElapsed = metrics.elapsed_ms;
		globalStep = Math.max(globalStep, metrics.step);
		context.progress(total ? metrics.step / total : 0, { kind: 'metrics', metrics });
	};
	const readOutput = () => {
		for (const record of watcher.newRecords()) report(record);
		for (const checkpoint of watcher.newCheckpoints()) {
			lastCheckpoint = checkpoint.path;
			context.progress(total ? checkpoint.step / total : 0, { kind: 'checkpoint', step: checkpoint.step, path: checkpoint.path });
			context.log(`Saved ${path.basename(checkpoint.path)}.`);
		}
	};

	const child = new SwiftProcess({
		bin: job.swift.bin,
		argv: invocation.argv,
		env: invocation.env,
		cwd: job.runDir,
		onLine: (line) => {
			context.log(line);
			const dict = parseConsoleDict(line);
			if (dict) report(dict);
		}
	});
	context.log(`Started swift ${invocation.argv[0]} (process group ${child.pid ?? '?'}).`);
	const timer = setInterval(() => {
		readOutput();
		if (context.stopRequested && !child.stopRequested) {
			context.log(`Stopping: SIGTERM to the process group, SIGKILL after ${job.swift.stopGraceMs} ms.`);
			void child.stop(job.swift.stopGraceMs);
		}
	}, POLL_MS);
	let exit: SwiftExit;
	try {
		exit = await child.exited;
	} finally {
		clearInterval(timer);
	}
	readOutput();
	const result = { globalStep, lastCheckpoint };
	if (child.stopRequested) {
		context.log(`Stopped at step ${globalStep}.`);
		return { status: 'stopped', result };
	}
	if (exit.code === 0) {
		context.log(`Finished after ${globalStep} steps.`);
		return { status: 'succeeded', result };
	}
	throw swiftFailure(invocation.argv[0], exit);
};
