// Section `eval`: the console's eval runner (workers/jobs/eval.ts) on a trained demo-vlm's validation
// rows, answering the product's default number of prompts per forward (batched) and one at a time
// (unbatched), taking turns, best of five each; same rows, same greedy decoding, reference log-probs
// included both ways. eval_samples_per_s counts everything the runner does after loading the model:
// media decoding, answers and reference log-probs.
// The model: a short demo-vlm trained here, or BENCH_EVAL_DEMO_DIR=<folder the demo section kept with
// BENCH_KEEP_DEMO=1> to use that section's fully trained one (its val.jsonl and newest checkpoint).

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shutdownThreads } from '../../../src/lib/engine/index';
import { trainDemoVlm } from '../../../src/lib/engine/models/multimodal/demo';
import { generateDemoDataset } from '../../../src/lib/server/demo/index';
import { EVAL_BATCH_SIZE_DEFAULT, type EvalJobPayload } from '../../../src/lib/shared/evalJob';
import { runEval } from '../../../workers/jobs/eval';
import { mediaLoaders } from '../../../workers/jobs/mediaLoaders';
import type { JobRunContext } from '../../../workers/jobs/types';
import { printTable, round, type BenchSection, type Figures } from '../section';

const BATCH = EVAL_BATCH_SIZE_DEFAULT;
const REPS = 5;
const MAX_NEW_TOKENS = 12;

async function demoModel(dir: string): Promise<{ valFile: string; modelDir: string; origin: string }> {
	const kept = process.env.BENCH_EVAL_DEMO_DIR;
	if (kept) {
		const steps = readdirSync(join(kept, 'run')).filter((n) => /^checkpoint-\d+$/.test(n)).sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)));
		if (steps.length === 0) throw new Error(`${kept}/run holds no checkpoint`);
		return { valFile: join(kept, 'val.jsonl'), modelDir: join(kept, 'run', steps[steps.length - 1]), origin: `the demo section's model (${steps[steps.length - 1]})` };
	}
	const data = await generateDemoDataset({ outDir: dir, images: 96, audios: 48, videos: 24, valFraction: 0.4 });
	const vlm = await trainDemoVlm({ trainFile: join(dir, 'train.jsonl'), loaders: mediaLoaders, outputDir: join(dir, 'run'), preset: { num_train_epochs: 2 } });
	const checkpoint = vlm.result.lastCheckpoint;
	vlm.trainer.dispose();
	if (!checkpoint) throw new Error('the demo-vlm run left no checkpoint');
	return { valFile: join(dir, 'val.jsonl'), modelDir: checkpoint, origin: `a short demo-vlm (${data.train} train rows, 2 epochs)` };
}

async function timedEval(payload: EvalJobPayload): Promise<{ samples: number; seconds: number }> {
	const context: JobRunContext = { jobId: 'bench', slotId: 'cpu', stopRequested: false, progress: () => {}, log: () => {} };
	const outcome = await runEval(payload, context);
	const result = outcome.result as { done: number; seconds: number };
	return { samples: result.done, seconds: result.seconds };
}

export const evalSection: BenchSection = {
	name: 'eval',
	description: `the eval runner on demo-vlm's validation rows: ${BATCH} prompts per forward vs one at a time, greedy, max_new_tokens ${MAX_NEW_TOKENS}`,
	async run(): Promise<Figures> {
		const dir = mkdtempSync(join(tmpdir(), 'swiftboard-bench-eval-'));
		try {
			const { valFile, modelDir, origin } = await demoModel(dir);
			const payload = (batchSize: number): EvalJobPayload => ({ evalId: 'bench', modelDir, datasetPath: valFile, selection: { method: 'all' }, limit: 0, maxNewTokens: MAX_NEW_TOKENS, batchSize });
			// Best of REPS for each mode, taking turns, so a slow spell of the shared cores and the first
			// run's cold start (module loading, first media decodes) fall on neither figure alone.
			const perS = (r: { samples: number; seconds: number }) => r.samples / r.seconds;
			let batched = { samples: 0, seconds: Infinity };
			let unbatched = { samples: 0, seconds: Infinity };
			for (let rep = 0; rep < REPS; rep++) {
				const b = await timedEval(payload(BATCH));
				if (b.seconds < batched.seconds) batched = b;
				const u = await timedEval(payload(1));
				if (u.seconds < unbatched.seconds) unbatched = u;
			}
			printTable(`eval runner on ${origin}: ${batched.samples} validation samples`, ['mode', 'samples', 'seconds', 'samples/s'], [
				[`batched (${BATCH})`, batched.samples, round(batched.seconds, 2), round(perS(batched), 2)],
				['unbatched (1)', unbatched.samples, round(unbatched.seconds, 2), round(perS(unbatched), 2)]
			]);
			return {
				eval_samples: batched.samples,
				eval_samples_per_s: round(perS(batched), 2),
				eval_samples_per_s_unbatched: round(perS(unbatched), 2),
				eval_batch_speedup: round(perS(batched) / perS(unbatched), 2)
			};
		} finally {
			await shutdownThreads();
			rmSync(dir, { recursive: true, force: true });
		}
	}
};
