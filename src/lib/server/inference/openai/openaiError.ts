import type { ZodError, core } from 'zod';
import { HttpError } from '../../http/httpError';

/** OpenAI's error types, by HTTP status, so SDKs raise the exception class their users catch. */
const typeByStatus: Record<number, string> = {
	400: 'invalid_request_error',
	401: 'invalid_request_error',
	403: 'permission_error',
	404: 'invalid_request_error',
	413: 'invalid_request_error',
	429: 'rate_limit_error'
};

/**
 * An error of the /api/v1 surface: `{error: {message, type, param, code}}` with its HTTP status,
 * the body every OpenAI client parses.
 */
export class OpenAIError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly param: string | null = null,
		readonly code: string | null = null,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
	}

	get type(): string {
		return typeByStatus[this.status] ?? (this.status >= 500 ? 'server_error' : 'invalid_request_error');
	}

	toBody() {
		return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
	}

	toResponse(): Response {
		return new Response(JSON.stringify(this.toBody()), {
			status: this.status,
			headers: { 'content-type': 'application/json', ...this.headers }
		});
	}

	static invalid(message: string, param: string | null = null): OpenAIError {
		return new OpenAIError(400, message, param, null);
	}

	/** The first zod issue, with its path written the way OpenAI names params (`messages[1].content[0].text`). */
	static fromZod(error: ZodError): OpenAIError {
		const issue = error.issues[0] ? deepest(error.issues[0]) : undefined;
		const param = issue?.path.length ? paramPath(issue.path) : null;
		return OpenAIError.invalid(param ? `Invalid ${param}: ${issue?.message}` : `Invalid request: ${issue?.message ?? 'malformed'}`, param);
	}

	/** Errors from the services (HttpError) keep their status and message; anything else is a 500. */
	static from(error: unknown): OpenAIError {
		if (error instanceof OpenAIError) return error;
		if (HttpError.is(error)) {
			const field = error.fields ? Object.keys(error.fields)[0] ?? null : null;
			return new OpenAIError(error.status, error.message, field, error.code, error.headers);
		}
		console.error('[api/v1]', error);
		return new OpenAIError(500, 'The server failed to answer this request.', null, 'internal');
	}
}

export function paramPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : `${out ? '.' : ''}${String(segment)}`;
	return out;
}

/**
 * A union (string or parts, one part type or another) reports only "invalid input" at its own path;
 * the branch that got furthest says what is actually wrong (`messages[0].content[2].type`).
 */
function deepest(issue: core.$ZodIssue): { path: PropertyKey[]; message: string } {
	if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path: [...issue.path], message: issue.message };
	let best: { path: PropertyKey[]; message: string } | null = null;
	for (const branch of issue.errors) {
		if (!branch[0]) continue;
		const inner = deepest(branch[0]);
		if (!best || inner.path.length > best.path.length) best = inner;
	}
	return best && best.path.length > 0 ? { path: [...issue.path, ...best.path], message: best.message } : { path: [...issue.path], message: issue.message };
}
