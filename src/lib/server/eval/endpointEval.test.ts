import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvalPrediction } from '../../shared/evalJob';
import type { GenerationResult } from '../../shared/inference';
import { runEndpointEval, type EndpointEvalHooks } from './endpointEval';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'endpoint-eval-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const datasetPath = path.join(dir, 'data.jsonl');
fs.mkdirSync(path.join(dir, 'media'));
fs.writeFileSync(path.join(dir, 'media', 'p.png'), 'png');
const rows = Array.from({ length: 10 }, (_, i) => ({
	messages: [
		{ role: 'system', content: 'Answer with a number.' },
		{ role: 'user', content: i === 3 ? `<image>Row ${i}?` : `Row ${i}?` },
		{ role: 'assistant', content: String(i) }
	],
	...(i === 3 ? { images: ['media/p.png'] } : {})
}));
fs.writeFileSync(datasetPath, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

const answer = (text: string): GenerationResult => ({ text, finishReason: 'stop', usage: { prompt_tokens: 3, completion_tokens: 1 }, timings: { ttftMs: 1, totalMs: 2, tokensPerS: 0 } });

/** A generate that answers when the test says so, recording what it was asked and how many ran at once. */
function controlledEndpoint(fail?: number) {
	const waiting: { row: number; resolve: () => void }[] = [];
	const asked: Parameters<EndpointEvalHooks['generate']>[0][] = [];
	let running = 0;
	let most = 0;
	const generate: EndpointEvalHooks['generate'] = async (request, signal) => {
		asked.push(request);
		const row = Number(/Row (\d+)/.exec(request.messages.at(-1)!.content)![1]);
		running++;
		most = Math.max(most, running);
		// A cancel ends a request at once, as the endpoint engine's does.
		await new Promise<void>((resolve) => {
			waiting.push({ row, resolve });
			signal.addEventListener('abort', () => resolve(), { once: true });
		});
		running--;
		if (signal.aborted) return { ...answer(''), finishReason: 'cancelled' };
		if (row === fail) throw new Error('answered 500: boom');
		return answer(String(row));
	};
	return { generate, waiting, asked, most: () => most };
}

function hooks(generate: EndpointEvalHooks['generate']) {
	const batches: EvalPrediction[][] = [];
	const record: EndpointEvalHooks = { generate, plan: () => undefined, predictions: (batch) => batches.push(batch), log: () => undefined };
	return { record, batches };
}

/** Lets every pending promise settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('runEndpointEval', () => {
	it('keeps at most four in flight and saves predictions in row order, whatever order they finish in', async () => {
		const endpoint = controlledEndpoint();
		const { record, batches } = hooks(endpoint.generate);
		let finished = false;
		const done = runEndpointEval({ datasetPath, selection: { method: 'all' }, limit: 0, maxNewTokens: 4 }, record, new AbortController().signal).finally(() => (finished = true));
		while (!finished) {
			await settle();
			// Answer the newest first: later rows finish before earlier ones.
			endpoint.waiting.pop()?.resolve();
		}
		const outcome = await done;
		expect(outcome.status).toBe('succeeded');
		expect(endpoint.most()).toBe(4);
		expect(batches.flat().map((p) => p.row)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(batches.flat().map((p) => p.prediction)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
		// The question is the row's system prompt and first user turn; its media are the dataset's own files.
		const third = endpoint.asked.find((a) => a.messages.at(-1)!.content.includes('Row 3'))!;
		expect(third.messages).toEqual([
			{ role: 'system', content: 'Answer with a number.' },
			{ role: 'user', content: '<image>Row 3?' }
		]);
		expect(third.media).toEqual([{ kind: 'image', file: path.join(dir, 'media', 'p.png') }]);
		expect(third.sampling).toMatchObject({ temperature: 0, max_new_tokens: 4 });
	});

	it('ends at the first failed sample with its error, keeping the predictions before it', async () => {
		const endpoint = controlledEndpoint(2);
		const { record, batches } = hooks(endpoint.generate);
		const done = runEndpointEval({ datasetPath, selection: { method: 'all' }, limit: 0, maxNewTokens: 4 }, record, new AbortController().signal, 2);
		await settle();
		for (const row of [0, 1, 2]) {
			while (!endpoint.waiting.some((w) => w.row === row)) await settle();
			endpoint.waiting.find((w) => w.row === row)!.resolve();
			await settle();
		}
		const outcome = await done;
		expect(outcome).toEqual({ status: 'failed', error: 'Sample 3 (row 2): answered 500: boom' });
		expect(batches.flat().map((p) => p.row)).toEqual([0, 1]);
	});
});
