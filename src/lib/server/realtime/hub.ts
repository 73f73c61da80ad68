import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { SessionUser } from '../../shared/auth';
import {
	replayBatchSize,
	socketPath,
	subscribeRequestSchema,
	unsubscribeRequestSchema,
	type ClientToServerEvents,
	type ServerToClientEvents,
	type StreamEvent,
	type SubscribeAck
} from '../../shared/realtime';
import type { AuthService } from '../auth/authService';
import { isAllowedOrigin } from '../http/origin';
import type { StreamRegistry } from './streamRegistry';

interface SocketData {
	user: SessionUser;
	sessionId: string;
}

type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * The socket.io side of the server. Sockets are authenticated at the handshake from the session
 * cookie; each joins a room of its own user, and a room per stream it subscribes to.
 */
export class RealtimeHub {
	readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

	constructor(
		httpServer: HttpServer,
		private readonly auth: AuthService,
		private readonly streams: StreamRegistry,
		configuredOrigin: string | null
	) {
		this.io = new Server(httpServer, {
			path: socketPath,
			serveClient: false,
			allowRequest: (request, callback) => {
				const allowed = isAllowedOrigin(request.headers, configuredOrigin);
				callback(allowed ? null : 'origin not allowed', allowed);
			}
		});
		this.io.use((socket, next) => {
			void this.authenticate(socket).then(
				() => next(),
				(error: Error) => next(error)
			);
		});
		this.io.on('connection', (socket) => this.onConnection(socket));
	}

	publish(event: StreamEvent): void {
		this.io.to(event.stream).emit('stream:event', event);
	}

	/** Disconnects every socket. socket.io also closes the http server it is attached to. */
	async close(): Promise<void> {
		await this.io.close();
	}

	private async authenticate(socket: HubSocket): Promise<void> {
		const sessionId = this.auth.readSessionId(socket.request.headers.cookie);
		if (!sessionId) throw new Error('unauthenticated');
		const { user } = await this.auth.validate(sessionId);
		if (!user) throw new Error('unauthenticated');
		socket.data.user = user;
		socket.data.sessionId = sessionId;
	}

	private onConnection(socket: HubSocket): void {
		void socket.join(`user:${socket.data.user.id}`);
		socket.on('stream:subscribe', (raw, ack) => {
			void this.subscribe(socket, raw).then((reply) => {
				if (typeof ack === 'function') ack(reply);
			});
		});
		socket.on('stream:unsubscribe', (raw) => {
			const parsed = unsubscribeRequestSchema.safeParse(raw);
			if (parsed.success) void socket.leave(parsed.data.stream);
		});
	}

	private async subscribe(socket: HubSocket, raw: unknown): Promise<SubscribeAck> {
		const parsed = subscribeRequestSchema.safeParse(raw);
		if (!parsed.success) {
			return { ok: false, error: { code: 'invalid_request', message: parsed.error.issues[0]?.message ?? 'Bad request' } };
		}
		// The session may have ended since the handshake (sign-out, role change): check it again.
		const { user } = await this.auth.validate(socket.data.sessionId);
		if (!user) {
			socket.disconnect(true);
			return { ok: false, error: { code: 'unauthenticated', message: 'Your session has ended.' } };
		}
		socket.data.user = user;
		const { stream, afterSeq } = parsed.data;
		const resolved = this.streams.resolve(stream, user);
		if (!resolved.ok) return { ok: false, error: { code: resolved.code, message: resolved.message } };
		// Join and replay in one synchronous block: no live event can slip between the two, so the
		// client sees every event exactly once, in order.
		void socket.join(stream);
		const missed = afterSeq === undefined ? [] : resolved.source.replay(afterSeq);
		for (let start = 0; start < missed.length; start += replayBatchSize) {
			socket.emit('stream:replay', { stream, events: missed.slice(start, start + replayBatchSize) });
		}
		return { ok: true, stream, lastSeq: resolved.source.lastSeq(), replayed: missed.length };
	}
}
