/**
 * Whether a parsed record is already exactly what `data.jsonl` stores: only `messages`, each message only
 * `role` and `content` text. Such rows (most rows of big text datasets) can be written out as their
 * original JSON text instead of being serialised again. Rows with media never qualify, since their
 * references are rewritten.
 */

function hasOnlyKey(value: Record<string, unknown>, key: string): boolean {
	for (const name in value) if (name !== key) return false;
	return true;
}

function isPlainMessage(value: unknown): boolean {
	if (typeof value !== 'object' || value === null) return false;
	const message = value as Record<string, unknown>;
	if (typeof message.content !== 'string' || typeof message.role !== 'string') return false;
	let keys = 0;
	for (const _ in message) keys++;
	return keys === 2;
}

export function isInStoredForm(source: Record<string, unknown>): boolean {
	if (!hasOnlyKey(source, 'messages')) return false;
	const messages = source.messages;
	if (!Array.isArray(messages)) return false;
	for (const message of messages) if (!isPlainMessage(message)) return false;
	return true;
}
