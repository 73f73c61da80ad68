// Held-out accuracy per demo question type: what a multimodal run reports at its end as
// `eval_acc/<type>` metrics (image_shape, audio_count, image_colour_zh, ...).

import { answerDemoRows } from '../../src/lib/engine/models/multimodal/demo';
import type { MediaFeatureCache } from '../../src/lib/engine/models/multimodal/mediaPipeline';
import type { MultimodalModel } from '../../src/lib/engine/models/multimodal/model';
import type { ChatRow } from '../../src/lib/engine/tokenizer/chatTypes';
import { demoQuestionTypeOf, scoreDemoAnswer } from '../../src/lib/shared/demo/questionTypes';

function turn(row: ChatRow, role: 'user' | 'assistant'): string {
	return row.messages.find((m) => m.role === role)?.content ?? '';
}

/** Share of right answers per question type; rows of no known type count under `other`. */
export function accuracyByQuestionType(rows: readonly ChatRow[], answers: readonly string[]): Record<string, number> {
	const tally = new Map<string, { right: number; total: number }>();
	rows.forEach((row, i) => {
		const type = demoQuestionTypeOf(turn(row, 'user')) ?? 'other';
		const entry = tally.get(type) ?? { right: 0, total: 0 };
		entry.total++;
		if (scoreDemoAnswer(turn(row, 'assistant'), answers[i] ?? '')) entry.right++;
		tally.set(type, entry);
	});
	return Object.fromEntries([...tally].map(([type, { right, total }]) => [type, right / total]));
}

/**
 * Greedy answers to the rows that ask a demo question, scored per type; {} when none does (a
 * multimodal set of other questions has no one-word answers to score). Media paths in the rows are
 * absolute or relative to the working folder.
 */
export async function heldOutAccuracy(model: MultimodalModel, cache: MediaFeatureCache, rows: readonly ChatRow[]): Promise<Record<string, number>> {
	const asked = rows.filter((row) => demoQuestionTypeOf(turn(row, 'user')) !== null);
	if (asked.length === 0) return {};
	return accuracyByQuestionType(asked, await answerDemoRows({ model, cache }, asked, process.cwd()));
}
