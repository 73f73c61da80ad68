import type { PartialAnswer } from '../../shared/inference';
import { HttpError } from '../http/httpError';

/**
 * A generation that failed after some of its answer had streamed: the same code and message as the
 * failure, with what came before it, so the chat can keep (and save) the text the user already saw.
 */
export class PartialAnswerError extends HttpError {
	constructor(
		cause: unknown,
		readonly partial: PartialAnswer
	) {
		super(HttpError.is(cause) ? cause.code : 'internal', cause instanceof Error ? cause.message : String(cause), HttpError.is(cause) ? cause.fields : undefined);
	}

	static partialOf(error: unknown): PartialAnswer | undefined {
		return error instanceof PartialAnswerError ? error.partial : undefined;
	}
}
