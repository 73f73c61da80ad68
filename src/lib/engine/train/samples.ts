// Rows -> token sequences. SFT rows render through the chat template; preference rows render twice,
// the conversation as given (chosen) and with its last assistant turn replaced by the rejected one.

import type { TokenizedSample } from '../data/tokenizedSample';
import { renderChat } from '../tokenizer/chatTemplate';
import type { ChatMessage } from '../tokenizer/chatTypes';
import type { TrainRow } from './config';

export interface PreferencePair {
	chosen: TokenizedSample;
	rejected: TokenizedSample;
}

function rejectedMessages(row: TrainRow, index: number): ChatMessage[] {
	if (row.rejected_messages) return row.rejected_messages;
	if (typeof row.rejected_response !== 'string') throw new Error(`row ${index} has no rejected_response for preference training`);
	const last = row.messages.length - 1;
	if (last < 0 || row.messages[last].role !== 'assistant') throw new Error(`row ${index} must end with the chosen assistant turn`);
	return [...row.messages.slice(0, last), { role: 'assistant', content: row.rejected_response }];
}

function toSample(rendered: { inputIds: number[]; labels: number[] }): TokenizedSample {
	return { inputIds: Int32Array.from(rendered.inputIds), labels: Int32Array.from(rendered.labels) };
}

export type TruncationStrategy = 'right' | 'delete';

/** Rows longer than maxLength are cut or dropped; rows with nothing left to train are dropped. */
export function renderSftRows(rows: readonly TrainRow[], maxLength: number, truncation: TruncationStrategy = 'right'): TokenizedSample[] {
	const out: TokenizedSample[] = [];
	for (const row of rows) {
		const r = renderChat(row, { maxLength });
		if (r.trainableTokens > 0 && !(truncation === 'delete' && r.truncated)) out.push(toSample(r));
	}
	return out;
}

export function renderPreferenceRows(rows: readonly TrainRow[], maxLength: number, truncation: TruncationStrategy = 'right'): PreferencePair[] {
	const out: PreferencePair[] = [];
	rows.forEach((row, i) => {
		const chosen = renderChat(row, { maxLength });
		const rejected = renderChat({ ...row, messages: rejectedMessages(row, i) }, { maxLength });
		const cut = chosen.truncated || rejected.truncated;
		if (chosen.trainableTokens > 0 && rejected.trainableTokens > 0 && !(truncation === 'delete' && cut)) out.push({ chosen: toSample(chosen), rejected: toSample(rejected) });
	});
	return out;
}
