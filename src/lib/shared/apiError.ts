import { z } from 'zod';

/** Every API error has this body, so clients handle failures in one place. */
export const apiErrorBodySchema = z.object({
	error: z.object({
		code: z.string(),
		message: z.string(),
		/** Field-level problems (zod issues), keyed by dotted path. */
		fields: z.record(z.string(), z.string()).optional()
	})
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

export const errorCodes = {
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	invalid_request: 400,
	payload_too_large: 413,
	range_not_satisfiable: 416,
	rate_limited: 429,
	unprocessable: 422,
	/** An upstream server (a registered inference endpoint) failed or answered with an error. */
	bad_gateway: 502,
	/** An upstream server did not answer in time. */
	gateway_timeout: 504,
	internal: 500
} as const;
export type ErrorCode = keyof typeof errorCodes;
