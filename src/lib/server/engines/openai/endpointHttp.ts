import { HttpError } from '../../http/httpError';

/** Where and how to reach one registered server. */
export interface EndpointTarget {
	/** Shown in every error, so a message says which server failed. */
	name: string;
	baseUrl: string;
	apiKey: string | null;
}

export interface EndpointTimeouts {
	/** Until the status and headers arrive. */
	responseTimeoutMs: number;
	/** Between two pieces of a streamed body. */
	idleTimeoutMs: number;
}

/** An endpoint's failure as the client sees it, with the status the server answered where it answered. */
export class UpstreamError extends HttpError {
	constructor(
		code: 'bad_gateway' | 'gateway_timeout',
		message: string,
		readonly upstreamStatus: number | null = null
	) {
		super(code, message);
	}
}

/**
 * The server root a base URL names: `http://host:8000`, `http://host:8000/` and `http://host:8000/v1`
 * all mean the same server, whose routes are `/health` and `/v1/...`.
 */
export function serverRoot(baseUrl: string): string {
	return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function endpointUrl(target: Pick<EndpointTarget, 'baseUrl'>, route: string): string {
	return `${serverRoot(target.baseUrl)}${route}`;
}

/** Why a request never got an answer, in words, from undici's error and its cause. */
export function networkProblem(error: unknown): string {
	const cause = (error as { cause?: { code?: string; message?: string } }).cause;
	const code = cause?.code ?? (error as { code?: string }).code;
	switch (code) {
		case 'ECONNREFUSED':
			return 'the connection was refused (is the server running on that port?)';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'its host name could not be resolved';
		case 'ECONNRESET':
		case 'UND_ERR_SOCKET':
			return 'the server closed the connection';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'its host cannot be reached';
		case 'CERT_HAS_EXPIRED':
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
			return `its TLS certificate was refused (${code})`;
		default:
			return cause?.message || (error instanceof Error ? error.message : String(error));
	}
}

/** The message an OpenAI-style error body carries (`{error: {message}}`, vLLM's `{message}`, FastAPI's `{detail}`), else its text. */
export function serverMessage(body: string): string {
	try {
		const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
		const found = typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error ?? parsed.message ?? parsed.detail);
		if (typeof found === 'string' && found) return found.slice(0, 1000);
		if (found !== undefined) return JSON.stringify(found).slice(0, 1000);
	} catch {
		// Not JSON: the text itself.
	}
	return body.trim().slice(0, 1000) || '(no message)';
}

/**
 * One request to a registered server with its timeouts. Resolves with the response once its status and
 * headers are in; a refused connection, a timeout and a 4xx/5xx (with the server's own message) become
 * HttpErrors that name the server. `signal` is the caller's cancel; the returned `abort` ends the body.
 */
export async function endpointFetch(
	target: EndpointTarget,
	route: string,
	init: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal },
	timeouts: Pick<EndpointTimeouts, 'responseTimeoutMs'>
): Promise<{ response: Response; controller: AbortController }> {
	const controller = new AbortController();
	const onCancel = () => controller.abort(init.signal?.reason);
	init.signal?.addEventListener('abort', onCancel, { once: true });
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort(new Error('timeout'));
	}, timeouts.responseTimeoutMs);
	const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
	if (init.body !== undefined) headers['content-type'] = 'application/json';
	if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
	try {
		const response = await fetch(endpointUrl(target, route), {
			method: init.method ?? 'GET',
			headers,
			body: init.body === undefined ? undefined : JSON.stringify(init.body),
			signal: controller.signal,
			redirect: 'error'
		});
		if (!response.ok) {
			const text = await response.text().catch(() => '');
			throw new UpstreamError('bad_gateway', `Endpoint "${target.name}" answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}: ${serverMessage(text)}`, response.status);
		}
		return { response, controller };
	} catch (error) {
		if (HttpError.is(error)) throw error;
		if (timedOut) throw new UpstreamError('gateway_timeout', `Endpoint "${target.name}" did not answer within ${(timeouts.responseTimeoutMs / 1000).toFixed(1)} s.`);
		if (init.signal?.aborted) throw error;
		throw new UpstreamError('bad_gateway', `Endpoint "${target.name}" could not be reached: ${networkProblem(error)}.`);
	} finally {
		clearTimeout(timer);
		init.signal?.removeEventListener('abort', onCancel);
	}
}
