import type { ZodError } from 'zod';
import { errorCodes, type ApiErrorBody, type ErrorCode } from '../../shared/apiError';

const brand = Symbol.for('swiftboard.httpError');

/** An error meant for the client: it becomes `{error: {code, message}}` with the code's status. */
export class HttpError extends Error {
	readonly [brand] = true;

	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly fields?: Record<string, string>,
		readonly headers?: Record<string, string>
	) {
		super(message);
	}

	get status(): number {
		return errorCodes[this.code];
	}

	toBody(): ApiErrorBody {
		return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
	}

	/**
	 * Recognises an HttpError from either copy of this module: services run from source while
	 * SvelteKit's handlers run from the built bundle, so `instanceof` alone cannot be trusted.
	 */
	static is(error: unknown): error is HttpError {
		return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
	}

	static fromZod(error: ZodError, what = 'request'): HttpError {
		const fields: Record<string, string> = {};
		for (const issue of error.issues) {
			const key = issue.path.join('.') || '_';
			fields[key] ??= issue.message;
		}
		const first = error.issues[0];
		const where = first && first.path.length ? ` (${first.path.join('.')})` : '';
		return new HttpError('invalid_request', `Invalid ${what}${where}: ${first?.message ?? 'malformed'}`, fields);
	}
}

export function errorResponse(error: HttpError): Response {
	return new Response(JSON.stringify(error.toBody()), {
		status: error.status,
		headers: { 'content-type': 'application/json', ...error.headers }
	});
}
