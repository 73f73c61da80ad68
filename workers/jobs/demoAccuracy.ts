// Held-out accuracy per demo question type: what a demo-vlm run reports at its end as
// `eval_acc/<type>` metrics (image_shape, audio_count, colour_zh, ...).

import type { ChatRow } from '../../src/lib/engine/tokenizer/chatTypes';
import { demoQuestionTypeOf, scoreDemoAnswer } from '../../src/lib/server/demo/index';

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
