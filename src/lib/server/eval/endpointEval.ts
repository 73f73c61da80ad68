import path from 'node:path';
import type { ChatRow } from '../../engine/tokenizer/chatTypes';
import type { TrainRow } from '../../engine/train/index';
import type { EvalJobPayload, EvalPrediction } from '../../shared/evalJob';
import { samplingSchema, type ChatTurn, type GenerationResult, type MediaInput } from '../../shared/inference';
import { readRunRows } from '../../../../workers/jobs/datasetRows';
import { evalTurnOf, predictionOf, selectRows, type IndexedRow } from '../../../../workers/jobs/evalRows';

/** Samples asked at once: enough to keep a batching server busy, few enough to leave it to chat users too. */
export const ENDPOINT_EVAL_CONCURRENCY = 4;

export interface EndpointEvalHooks {
	/** Answers one sample's question (the endpoint engine, bound to one endpoint). */
	generate(request: { messages: ChatTurn[]; media: MediaInput[]; sampling: ReturnType<typeof samplingSchema.parse> }, signal: AbortSignal): Promise<GenerationResult>;
	plan(total: number): void;
	/** Answered samples in row order, as soon as every earlier one is in too. */
	predictions(batch: EvalPrediction[], done: number, total: number): void;
	log(line: string): void;
}

export type EndpointEvalOutcome = { status: 'succeeded'; seconds: number } | { status: 'stopped'; done: number } | { status: 'failed'; error: string };

const MEDIA_KINDS = [
	['images', 'image'],
	['audios', 'audio'],
	['videos', 'video']
] as const;

/** A row's media as the server resolved them: paths inside the dataset's own folder. */
function rowMedia(row: TrainRow, dir: string): MediaInput[] {
	const media: MediaInput[] = [];
	for (const [list, kind] of MEDIA_KINDS) {
		const entries = row[list];
		if (!Array.isArray(entries)) continue;
		for (const entry of entries) {
			if (typeof entry !== 'string') continue;
			const file = path.resolve(dir, entry);
			// Only files inside the dataset's folder: a row never points the server elsewhere.
			if (!file.startsWith(dir + path.sep)) throw new Error(`a media path outside the dataset: ${entry}`);
			media.push({ kind, file });
		}
	}
	return media;
}

/**
 * The eval job of an endpoint, run on the server (it needs no local device): the same rows and question
 * as the built-in runner, answered greedily by the endpoint with `concurrency` samples in flight. The
 * first failed sample ends the eval with its error; the predictions saved before it stay saved.
 */
export async function runEndpointEval(
	job: Pick<EvalJobPayload, 'datasetPath' | 'selection' | 'limit' | 'maxNewTokens'>,
	hooks: EndpointEvalHooks,
	signal: AbortSignal,
	concurrency = ENDPOINT_EVAL_CONCURRENCY
): Promise<EndpointEvalOutcome> {
	const dir = path.dirname(job.datasetPath);
	const rows = await readRunRows(job.datasetPath);
	const chosen = selectRows(rows, job.selection, job.limit).filter((item) => item.data.messages.some((m) => m.role === 'user'));
	hooks.plan(chosen.length);
	hooks.log(`${chosen.length} samples to ask, ${concurrency} at a time.`);
	const sampling = samplingSchema.parse({ max_new_tokens: job.maxNewTokens, temperature: 0, top_k: 0, top_p: 1, repetition_penalty: 1 });
	const answered: (EvalPrediction | undefined)[] = new Array(chosen.length);
	const started = performance.now();
	const stop = new AbortController();
	const onCancel = () => stop.abort();
	signal.addEventListener('abort', onCancel, { once: true });
	let flushed = 0;
	let next = 0;
	let failure = null as string | null;

	const ask = async (item: IndexedRow): Promise<EvalPrediction> => {
		const t0 = performance.now();
		const turns: ChatTurn[] = evalTurnOf(item.data as ChatRow).prompt.map((m) => ({ role: m.role as ChatTurn['role'], content: m.content }));
		const result = await hooks.generate({ messages: turns, media: rowMedia(item.data, dir), sampling }, stop.signal);
		return predictionOf(item, { text: result.text, outputTokens: result.usage.completion_tokens }, null, performance.now() - t0);
	};
	const worker = async () => {
		while (!stop.signal.aborted && next < chosen.length) {
			const at = next++;
			try {
				const prediction = await ask(chosen[at]);
				if (stop.signal.aborted) return;
				answered[at] = prediction;
			} catch (error) {
				if (stop.signal.aborted) return;
				failure = `Sample ${at + 1} (row ${chosen[at].row}): ${error instanceof Error ? error.message : String(error)}`;
				stop.abort();
				return;
			}
			const from = flushed;
			while (flushed < chosen.length && answered[flushed]) flushed++;
			if (flushed > from) hooks.predictions(answered.slice(from, flushed) as EvalPrediction[], flushed, chosen.length);
		}
	};
	try {
		await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, chosen.length)) }, worker));
	} finally {
		signal.removeEventListener('abort', onCancel);
	}
	if (failure) {
		hooks.log(`Failed after ${flushed} of ${chosen.length} samples: ${failure}`);
		return { status: 'failed', error: failure };
	}
	if (signal.aborted) {
		hooks.log(`Stopped after ${flushed} of ${chosen.length} samples.`);
		return { status: 'stopped', done: flushed };
	}
	const seconds = (performance.now() - started) / 1000;
	hooks.log(`Answered ${flushed} samples in ${seconds.toFixed(1)} s.`);
	return { status: 'succeeded', seconds };
}
