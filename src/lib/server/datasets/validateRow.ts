import type { ChatMessage, MessageRole, StandardRow } from '../../shared/dataset';
import { mediaKinds, mediaListField } from '../../shared/datasetNames';
import { countMediaTags } from './mediaTags';
import { problem, type RowProblem } from './rowProblem';

/**
 * Checks one standard row's shape and text: every problem is collected so a person can fix a row in one
 * go. Media files are checked separately (they need the disk).
 */

export interface RowLimits {
	/** Longest allowed message content, in characters. */
	maxFieldChars: number;
}

/** Which side of the conversation a role speaks for: tool calls are the model's, tool results the user's. */
const SIDE: Record<MessageRole, 'system' | 'user' | 'assistant'> = {
	system: 'system',
	user: 'user',
	tool_response: 'user',
	tool: 'user',
	assistant: 'assistant',
	tool_call: 'assistant'
};

function checkContent(messages: ChatMessage[], field: string, limits: RowLimits, problems: RowProblem[]): void {
	for (let i = 0; i < messages.length; i++) {
		const { role, content } = messages[i];
		if (content.length > limits.maxFieldChars) {
			problems.push(
				problem('too_long_field', `${field}[${i}].content`, `This ${role} message has ${content.length} characters, more than the limit of ${limits.maxFieldChars}.`)
			);
		} else if (content.trim() === '' && role !== 'system') {
			problems.push(problem('empty_content', `${field}[${i}].content`, `The ${role} message is empty.`));
		}
	}
}

function checkRoleOrder(messages: ChatMessage[], field: string, problems: RowProblem[]): void {
	let previous: 'system' | 'user' | 'assistant' | null = null;
	for (let i = 0; i < messages.length; i++) {
		const role = messages[i].role;
		const side = SIDE[role];
		const at = `${field}[${i}].role`;
		if (side === 'system') {
			if (i !== 0) problems.push(problem('role_order', at, 'A system message may only come first.'));
		} else if (previous === null || previous === 'system') {
			if (side !== 'user') problems.push(problem('role_order', at, `The conversation must start with a user message, not ${role}.`));
		} else if (side === previous && !(role.startsWith('tool') || messages[i - 1].role.startsWith('tool'))) {
			problems.push(problem('role_order', at, `Two ${side} messages in a row; user and assistant messages must alternate.`));
		}
		previous = side;
	}
	if (!messages.some((message) => SIDE[message.role] === 'assistant')) {
		problems.push(problem('no_assistant', field, 'The conversation has no assistant reply to learn from.'));
	}
}

function checkMediaTags(row: StandardRow, problems: RowProblem[]): void {
	const tags = { image: 0, audio: 0, video: 0 };
	for (const message of row.messages) {
		const counts = countMediaTags(message.content);
		tags.image += counts.image;
		tags.audio += counts.audio;
		tags.video += counts.video;
	}
	for (const kind of mediaKinds) {
		const field = mediaListField[kind];
		const listed = row[field]?.length ?? 0;
		if (tags[kind] !== listed) {
			problems.push(
				problem(
					'media_tag_mismatch',
					field,
					`The text has ${tags[kind]} <${kind}> tag${tags[kind] === 1 ? '' : 's'} but "${field}" lists ${listed} file${listed === 1 ? '' : 's'}; each tag takes the next file in order.`
				)
			);
		}
	}
}

export function validateRow(row: StandardRow, limits: RowLimits): RowProblem[] {
	const problems: RowProblem[] = [];
	if (row.messages.length === 0) {
		problems.push(problem('empty_content', 'messages', 'The row has no messages.'));
		return problems;
	}
	checkContent(row.messages, 'messages', limits, problems);
	checkRoleOrder(row.messages, 'messages', problems);
	checkMediaTags(row, problems);
	if (row.rejected_response !== undefined && row.rejected_response.trim() === '') {
		problems.push(problem('empty_content', 'rejected_response', 'The rejected response is empty.'));
	}
	if (row.rejected_messages !== undefined) checkContent(row.rejected_messages, 'rejected_messages', limits, problems);
	return problems;
}
