// Section `demo`: the demo-vlm preset trained from scratch on the synthetic demo set (fixed seed),
// then held-out accuracy per question type with greedy decoding and the demo's own scoring.
// demo_train_s counts media decoding plus training, not data generation or evaluation.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initThreads, shutdownThreads } from '../../../src/lib/engine/index';
import { answerDemoRows, readJsonlRows, trainDemoVlm } from '../../../src/lib/engine/models/multimodal/demo';
import { DEMO_VLM } from '../../../src/lib/engine/models/multimodal/preset';
import { mediaLoaders } from '../../../workers/jobs/mediaLoaders';
import { DEMO_DEFAULTS, demoQuestionTypeOf, describeDemoQuestionTypes, generateDemoDataset, scoreDemoAnswer } from '../../../src/lib/server/demo/index';
import { printTable, round, type BenchSection, type Figures } from '../section';

const THREADS = 2;

export const demoSection: BenchSection = {
	name: 'demo',
	description: `demo-vlm from scratch on the demo set (seed ${DEMO_DEFAULTS.seed}), ${DEMO_VLM.num_train_epochs} epochs, ${THREADS} threads; held-out accuracy per question type`,
	async run(): Promise<Figures> {
		const dir = mkdtempSync(join(tmpdir(), 'swiftboard-bench-demo-'));
		const threads = await initThreads(THREADS);
		try {
			const data = await generateDemoDataset({ outDir: dir, seed: DEMO_DEFAULTS.seed });
			const losses: number[] = [];
			const vlm = await trainDemoVlm({ trainFile: join(dir, 'train.jsonl'), loaders: mediaLoaders, outputDir: join(dir, 'run'), callbacks: { onLog: (l) => { if (typeof l.loss === 'number') losses.push(l.loss); } } });
			const val = await readJsonlRows(join(dir, 'val.jsonl'));
			const t0 = performance.now();
			const answers = await answerDemoRows(vlm, val, dir);
			const evalMs = performance.now() - t0;
			const tally = new Map(describeDemoQuestionTypes().map((t) => [t.id, { right: 0, total: 0, example: '' }]));
			val.forEach((row, i) => {
				const user = row.messages.find((m) => m.role === 'user')?.content ?? '';
				const expected = row.messages.find((m) => m.role === 'assistant')?.content ?? '';
				const t = tally.get(demoQuestionTypeOf(user) ?? '');
				if (!t) return;
				t.total++;
				if (scoreDemoAnswer(expected, answers[i])) t.right++;
				else if (!t.example) t.example = `${expected} -> ${JSON.stringify(answers[i])}`;
			});
			const trainS = (vlm.prepareMs + vlm.trainMs) / 1000;
			printTable(`demo-vlm: ${data.train} train / ${data.val} val rows, ${vlm.result.globalStep} updates, ${threads} threads; train ${round(trainS, 1)} s (media ${round(vlm.prepareMs / 1000, 1)} s), eval ${round(evalMs / 1000, 1)} s, loss ${round(losses[0], 3)} -> ${round(losses[losses.length - 1], 3)}`,
				['question type', 'val rows', 'accuracy', 'first miss (expected -> predicted)'],
				[...tally].map(([id, t]) => [id, t.total, t.total ? t.right / t.total : 0, t.example || '-']));
			const accuracy = Object.fromEntries([...tally].map(([id, t]) => [id, round(t.total ? t.right / t.total : 0, 3)]));
			return { demo_train_s: round(trainS, 1), demo_eval_s: round(evalMs / 1000, 1), demo_accuracy: accuracy, demo_accuracy_min: Math.min(...Object.values(accuracy)) };
		} finally {
			await shutdownThreads();
			rmSync(dir, { recursive: true, force: true });
		}
	}
};
