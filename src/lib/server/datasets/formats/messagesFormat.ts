import type { ChatMessage, MessageRole, StandardRow } from '../../../shared/dataset';
import { mediaListField, messageRoles } from '../../../shared/datasetNames';
import { problem, type RowProblem } from '../rowProblem';
import { flattenContentParts } from './contentParts';

const KNOWN_ROLES = new Set<string>(messageRoles);

/**
 * Reads a `messages` list. Content may be text or OpenAI-style parts; media found in parts are appended to
 * the row's lists in order so each inserted tag lines up with its entry.
 */
export function readMessages(value: unknown, field: string, row: StandardRow, problems: RowProblem[]): ChatMessage[] {
	if (!Array.isArray(value)) {
		problems.push(problem('bad_field_type', field, `"${field}" must be a list of {role, content} objects.`));
		return [];
	}
	const messages: ChatMessage[] = [];
	for (let i = 0; i < value.length; i++) {
		const at = `${field}[${i}]`;
		const raw: unknown = value[i];
		if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
			problems.push(problem('bad_field_type', at, `Each message must be an object with "role" and "content".`));
			continue;
		}
		const { role, content } = raw as { role?: unknown; content?: unknown };
		if (typeof role !== 'string' || !KNOWN_ROLES.has(role)) {
			problems.push(
				problem('bad_field_type', `${at}.role`, `The role ${JSON.stringify(role)} is not one of system, user, assistant, tool_call, tool_response.`)
			);
			continue;
		}
		messages.push({ role: role as MessageRole, content: readContent(content, `${at}.content`, row, problems) });
	}
	return messages;
}

function readContent(content: unknown, field: string, row: StandardRow, problems: RowProblem[]): string {
	if (typeof content === 'string') return content;
	if (content === undefined || content === null) return '';
	if (Array.isArray(content)) {
		const flat = flattenContentParts(content);
		for (const index of flat.unknownParts) {
			problems.push(problem('bad_field_type', `${field}[${index}]`, 'This content part is neither text nor an image, audio or video reference.'));
		}
		for (const { kind, ref } of flat.media) {
			const listField = mediaListField[kind];
			(row[listField] ??= []).push(ref);
		}
		return flat.text;
	}
	problems.push(problem('bad_field_type', field, 'Message content must be text.'));
	return '';
}
