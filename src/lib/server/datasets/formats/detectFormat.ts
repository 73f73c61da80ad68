import type { DatasetFormat } from '../../../shared/dataset';

/** ms-swift's aliases, in the order it prefers them when a row has more than one. */
export const QUERY_ALIASES = ['query', 'prompt', 'input', 'instruction', 'question'] as const;
export const RESPONSE_ALIASES = ['response', 'answer', 'output', 'target', 'completion'] as const;

function hasAny(value: Record<string, unknown>, keys: readonly string[]): boolean {
	for (const key of keys) if (value[key] !== undefined) return true;
	return false;
}

/** Which known layout a row is in, judged by its keys alone; null when none fits. */
export function detectFormat(value: Record<string, unknown>): DatasetFormat | null {
	if (value.messages !== undefined) return 'messages';
	if (value.conversation !== undefined || value.conversations !== undefined) return 'sharegpt';
	if (value.instruction !== undefined && value.output !== undefined) return 'alpaca';
	if (hasAny(value, QUERY_ALIASES)) return 'query_response';
	return null;
}
