// What an eval asks and records, whichever engine answers: the rows a payload selects, the first
// question of a row and its reference answer, and the prediction record of one answered sample. The
// built-in runner (eval.ts) and the endpoint runner on the server both use these, so the two sources
// ask the same samples the same question.

import path from 'node:path';
import type { ChatMessage, ChatRow } from '../../src/lib/engine/tokenizer/chatTypes';
import type { TrainRow } from '../../src/lib/engine/train/index';
import type { EvalJobPayload, EvalPrediction } from '../../src/lib/shared/evalJob';
import { splitRows } from './datasetRows';

export interface EvalTurn {
	/** The conversation up to and including the first user turn. */
	prompt: ChatMessage[];
	/** The first assistant answer after it (the reference). */
	reference: string;
}

/** The first question and its answer: what an eval asks and scores. */
export function evalTurnOf(row: ChatRow): EvalTurn {
	const firstUser = row.messages.findIndex((m) => m.role === 'user');
	if (firstUser < 0) throw new Error('the row has no user turn');
	const answer = row.messages.slice(firstUser + 1).find((m) => m.role === 'assistant');
	return { prompt: row.messages.slice(0, firstUser + 1), reference: answer?.content ?? '' };
}

export interface Answer {
	text: string;
	outputTokens: number;
}

export interface IndexedRow {
	row: number;
	data: TrainRow;
}

/** The rows the payload selects, with their positions in data.jsonl, cut to the sample limit. */
export function selectRows(rows: readonly TrainRow[], selection: EvalJobPayload['selection'], limit: number): IndexedRow[] {
	const indexed = rows.map((data, row) => ({ row, data }));
	let chosen: IndexedRow[];
	if (selection.method === 'rows') {
		chosen = selection.rows.filter((i) => i < rows.length).map((i) => indexed[i]);
	} else if (selection.method === 'run-shuffle') {
		// The run's split, as its trainer made it: the same seed holds out the same rows.
		const { train, val } = splitRows(indexed, selection.ratio, selection.seed);
		chosen = selection.part === 'train' ? train : val;
	} else chosen = indexed;
	return limit > 0 ? chosen.slice(0, limit) : chosen;
}

const mediaList = (row: TrainRow, key: 'images' | 'audios' | 'videos') => (Array.isArray(row[key]) ? (row[key] as unknown[]).filter((v): v is string => typeof v === 'string').map((v) => path.basename(v)) : []);

export function predictionOf(item: IndexedRow, answer: Answer, logProbs: number[] | null, latencyMs: number): EvalPrediction {
	const { prompt, reference } = evalTurnOf(item.data as ChatRow);
	return {
		row: item.row,
		prompt: prompt.map((m) => m.content).join('\n'),
		reference,
		prediction: answer.text,
		// File names only: the server serves them from the dataset's media folder.
		images: mediaList(item.data, 'images'),
		audios: mediaList(item.data, 'audios'),
		videos: mediaList(item.data, 'videos'),
		...(logProbs ? { logProbs } : {}),
		latencyMs,
		outputTokens: answer.outputTokens
	};
}

