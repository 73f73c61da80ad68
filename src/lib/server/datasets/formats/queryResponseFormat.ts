import type { ChatMessage } from '../../../shared/dataset';
import { problem, type RowProblem } from '../rowProblem';
import { QUERY_ALIASES, RESPONSE_ALIASES } from './detectFormat';

/** Query/response rows under any of ms-swift's aliases, and Alpaca (instruction + input -> output). */

function pick(source: Record<string, unknown>, aliases: readonly string[]): { field: string; value: unknown } | null {
	for (const field of aliases) if (source[field] !== undefined && source[field] !== null) return { field, value: source[field] };
	return null;
}

function text(value: unknown, field: string, problems: RowProblem[]): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	problems.push(problem('bad_field_type', field, `"${field}" must be text.`));
	return '';
}

/** `history: [[query, response], ...]`, the turns before the final one. */
function readHistory(value: unknown, problems: RowProblem[]): ChatMessage[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		problems.push(problem('bad_field_type', 'history', '"history" must be a list of [query, response] pairs.'));
		return [];
	}
	const messages: ChatMessage[] = [];
	value.forEach((pair, i) => {
		if (!Array.isArray(pair) || pair.length !== 2) {
			problems.push(problem('bad_field_type', `history[${i}]`, 'Each history entry must be a [query, response] pair.'));
			return;
		}
		messages.push({ role: 'user', content: text(pair[0], `history[${i}][0]`, problems) });
		messages.push({ role: 'assistant', content: text(pair[1], `history[${i}][1]`, problems) });
	});
	return messages;
}

function withSystemAndHistory(source: Record<string, unknown>, problems: RowProblem[], query: string, response: ChatMessage | null): ChatMessage[] {
	const messages: ChatMessage[] = [];
	if (source.system !== undefined && source.system !== null && source.system !== '') {
		messages.push({ role: 'system', content: text(source.system, 'system', problems) });
	}
	messages.push(...readHistory(source.history, problems));
	messages.push({ role: 'user', content: query });
	if (response) messages.push(response);
	return messages;
}

export function readQueryResponse(source: Record<string, unknown>, problems: RowProblem[]): ChatMessage[] {
	const query = pick(source, QUERY_ALIASES);
	const response = pick(source, RESPONSE_ALIASES);
	const queryText = query ? text(query.value, query.field, problems) : '';
	const reply = response ? { role: 'assistant' as const, content: text(response.value, response.field, problems) } : null;
	return withSystemAndHistory(source, problems, queryText, reply);
}

export function readAlpaca(source: Record<string, unknown>, problems: RowProblem[]): ChatMessage[] {
	const instruction = text(source.instruction, 'instruction', problems);
	const input = source.input === undefined || source.input === null ? '' : text(source.input, 'input', problems);
	// Alpaca's convention: the input, when present, follows the instruction on its own line.
	const query = input.trim() === '' ? instruction : `${instruction}\n${input}`;
	return withSystemAndHistory(source, problems, query, { role: 'assistant', content: text(source.output, 'output', problems) });
}
