import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the server got, as tests assert it (the body parsed as JSON where it was JSON). */
export interface RecordedRequest {
	method: string;
	path: string;
	authorization: string | null;
	body: unknown;
}

/** How `/v1/chat/completions` answers the next requests; every field is optional. */
export interface ChatBehaviour {
	/** The answer's text; the default echoes the last user text. Streamed a word at a time. */
	reply?: string;
	/** Answer this status with an OpenAI-style error body instead. */
	status?: number;
	errorMessage?: string;
	/** Before the status and headers. */
	delayMs?: number;
	/** Between two streamed chunks. */
	chunkDelayMs?: number;
	/** After this many content chunks, send nothing more and keep the connection open. */
	stallAfter?: number;
	/** After this many content chunks, close the connection. */
	dropAfter?: number;
	/** ms-swift's way: cumulative `usage` on every chunk (else `null`, then a `choices: []` usage chunk when asked). */
	usageEveryChunk?: boolean;
	/** The finish reason of the last chunk. */
	finishReason?: 'stop' | 'length';
}

export interface OpenAITestServerOptions {
	models?: string[];
	/** Requests without `Authorization: Bearer <key>` get 401. */
	apiKey?: string | null;
	/** `missing`: /health answers 404 (a server without one); `failing`: 503. */
	health?: 'ok' | 'missing' | 'failing';
}

const words = (text: string) => text.match(/\S+\s*|\s+/g) ?? [];

function lastUserText(body: { messages?: { role: string; content: unknown }[] }): string {
	const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
	if (!last) return '';
	if (typeof last.content === 'string') return last.content;
	return (last.content as { type: string; text?: string }[]).filter((p) => p.type === 'text').map((p) => p.text).join('');
}

/**
 * A real OpenAI-compatible http server on a free port for tests: `/health`, `/v1/models` and
 * `/v1/chat/completions` (streamed or not), whose behaviour a test sets (delays, error statuses, stalls,
 * dropped connections), which can refuse connections on its port and come back, and which records every
 * request it got. SSE events are written in two pieces, cut inside a line, so clients meet split chunks.
 */
export class OpenAITestServer {
	readonly requests: RecordedRequest[] = [];
	private readonly events = new EventEmitter();
	private readonly sockets = new Set<Socket>();
	private server: http.Server;
	private behaviour: ChatBehaviour = {};
	private inFlight = 0;
	/** The most chat completions it was answering at once. */
	maxInFlight = 0;
	port = 0;

	private constructor(private readonly options: OpenAITestServerOptions) {
		this.server = this.create();
	}

	static async start(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
		const server = new OpenAITestServer(options);
		await server.listen(0);
		return server;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Sets how chat completions answer from now on (replacing the last behaviour). */
	behave(behaviour: ChatBehaviour): void {
		this.behaviour = behaviour;
	}

	chatRequests(): RecordedRequest[] {
		return this.requests.filter((r) => r.path === '/v1/chat/completions');
	}

	/** Resolves with the first request (already recorded or still to come) that `match` accepts. */
	waitForRequest(match: (request: RecordedRequest) => boolean): Promise<RecordedRequest> {
		const found = this.requests.find(match);
		if (found) return Promise.resolve(found);
		return new Promise((resolve) => {
			const listener = (request: RecordedRequest) => {
				if (!match(request)) return;
				this.events.off('request', listener);
				resolve(request);
			};
			this.events.on('request', listener);
		});
	}

	/** Stops listening and cuts every open connection: the port refuses connections until `resume`. */
	async refuse(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	async resume(): Promise<void> {
		this.server = this.create();
		await this.listen(this.port);
	}

	async close(): Promise<void> {
		if (this.server.listening) await this.refuse();
	}

	private listen(port: number): Promise<void> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.port = (this.server.address() as AddressInfo).port;
				resolve();
			});
		});
	}

	private create(): http.Server {
		const server = http.createServer((req, res) => void this.handle(req, res));
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		return server;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body: unknown = raw;
		try {
			body = raw ? JSON.parse(raw) : null;
		} catch {
			// Recorded as text.
		}
		const path = (req.url ?? '/').split('?')[0];
		const request: RecordedRequest = { method: req.method ?? 'GET', path, authorization: req.headers.authorization ?? null, body };
		this.requests.push(request);
		this.events.emit('request', request);
		const error = (status: number, message: string) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: status } }));
		};
		if (path === '/health') {
			const health = this.options.health ?? 'ok';
			if (health === 'missing') return error(404, 'Not Found');
			if (health === 'failing') return error(503, 'engine is still loading');
			res.writeHead(200).end();
			return;
		}
		if (this.options.apiKey && request.authorization !== `Bearer ${this.options.apiKey}`) return error(401, 'Invalid API key');
		if (path === '/v1/models' && request.method === 'GET') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ object: 'list', data: (this.options.models ?? ['test-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'test', max_model_len: 4096 })) }));
			return;
		}
		if (path !== '/v1/chat/completions' || request.method !== 'POST') return error(404, `No route ${request.method} ${path}`);
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		res.once('close', () => this.inFlight--);
		await this.chat(body as { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean }; messages?: { role: string; content: unknown }[] }, res, error);
	}

	private async chat(
		body: { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean }; messages?: { role: string; content: unknown }[] },
		res: http.ServerResponse,
		error: (status: number, message: string) => void
	): Promise<void> {
		const b = this.behaviour;
		if (b.delayMs) await new Promise((resolve) => setTimeout(resolve, b.delayMs));
		if (b.status) return error(b.status, b.errorMessage ?? `failing with ${b.status}`);
		const models = this.options.models ?? ['test-model'];
		if (!body.model || !models.includes(body.model)) return error(404, `The model \`${body.model}\` does not exist.`);
		const pieces = words(b.reply ?? `You said: ${lastUserText(body)}`);
		const finish = b.finishReason ?? 'stop';
		const usage = (done: number) => ({ prompt_tokens: 7, completion_tokens: done, total_tokens: 7 + done });
		if (!body.stream) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ id: 'cmpl-test', object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: finish }], usage: usage(pieces.length) }));
			return;
		}
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		const send = async (data: unknown) => {
			const event = `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
			const cut = Math.max(1, Math.floor(event.length / 2));
			res.write(event.slice(0, cut));
			await new Promise((resolve) => setImmediate(resolve));
			res.write(event.slice(cut));
			if (b.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, b.chunkDelayMs));
		};
		const chunk = (delta: object, finishReason: string | null, done: number) => ({
			id: 'chatcmpl-test',
			object: 'chat.completion.chunk',
			created: 0,
			model: body.model,
			choices: [{ index: 0, delta, finish_reason: finishReason }],
			usage: b.usageEveryChunk ? usage(done) : null
		});
		await send(chunk({ role: 'assistant', content: '' }, null, 0));
		for (const [i, piece] of pieces.entries()) {
			if (b.dropAfter !== undefined && i === b.dropAfter) {
				// Flushes what was written, then closes the connection mid-body (no last chunk, no [DONE]).
				res.socket?.end();
				return;
			}
			if (b.stallAfter !== undefined && i === b.stallAfter) return;
			await send(chunk({ content: piece }, null, i + 1));
		}
		await send(chunk({}, finish, pieces.length));
		if (!b.usageEveryChunk && body.stream_options?.include_usage) await send({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [], usage: usage(pieces.length) });
		await send('[DONE]');
		res.end();
	}
}
