import type { ChatMessage, MessageRole } from '../../../shared/dataset';
import { problem, type RowProblem } from '../rowProblem';

/**
 * ShareGPT in both layouts people bring: ms-swift's `conversation: [{human, assistant}]` pairs, and the
 * widespread `conversations: [{from, value}]` list.
 */

const SPEAKER_ROLES: Record<string, MessageRole> = {
	system: 'system',
	human: 'user',
	user: 'user',
	gpt: 'assistant',
	assistant: 'assistant',
	bot: 'assistant',
	model: 'assistant',
	function_call: 'tool_call',
	observation: 'tool_response',
	tool: 'tool_response'
};

function textOf(value: unknown, field: string, problems: RowProblem[]): string {
	if (typeof value === 'string') return value;
	if (value === undefined || value === null) return '';
	problems.push(problem('bad_field_type', field, `"${field}" must be text.`));
	return '';
}

function readPairs(turns: unknown[], field: string, problems: RowProblem[]): ChatMessage[] {
	const messages: ChatMessage[] = [];
	turns.forEach((turn, i) => {
		const at = `${field}[${i}]`;
		if (typeof turn !== 'object' || turn === null) {
			problems.push(problem('bad_field_type', at, 'Each turn must be an object like {"human": ..., "assistant": ...}.'));
			return;
		}
		const { human, assistant } = turn as { human?: unknown; assistant?: unknown };
		messages.push({ role: 'user', content: textOf(human, `${at}.human`, problems) });
		if (assistant !== undefined) messages.push({ role: 'assistant', content: textOf(assistant, `${at}.assistant`, problems) });
	});
	return messages;
}

function readSpeakerList(turns: unknown[], field: string, problems: RowProblem[]): ChatMessage[] {
	const messages: ChatMessage[] = [];
	turns.forEach((turn, i) => {
		const at = `${field}[${i}]`;
		if (typeof turn !== 'object' || turn === null) {
			problems.push(problem('bad_field_type', at, 'Each turn must be an object like {"from": "human", "value": ...}.'));
			return;
		}
		const { from, value } = turn as { from?: unknown; value?: unknown };
		const role = typeof from === 'string' ? SPEAKER_ROLES[from.toLowerCase()] : undefined;
		if (role === undefined) {
			problems.push(problem('bad_field_type', `${at}.from`, `The speaker ${JSON.stringify(from)} is not one of human, gpt, system, function_call, observation.`));
			return;
		}
		messages.push({ role, content: textOf(value, `${at}.value`, problems) });
	});
	return messages;
}

export function readShareGpt(source: Record<string, unknown>, problems: RowProblem[]): ChatMessage[] {
	const field = source.conversation !== undefined ? 'conversation' : 'conversations';
	const turns = source[field];
	if (!Array.isArray(turns)) {
		problems.push(problem('bad_field_type', field, `"${field}" must be a list of turns.`));
		return [];
	}
	const first: unknown = turns[0];
	const isSpeakerList = typeof first === 'object' && first !== null && 'from' in first;
	const messages = isSpeakerList ? readSpeakerList(turns, field, problems) : readPairs(turns, field, problems);
	const system = source.system;
	if (typeof system === 'string' && system !== '' && messages[0]?.role !== 'system') {
		messages.unshift({ role: 'system', content: system });
	}
	return messages;
}
