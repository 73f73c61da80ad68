import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { SessionUser } from '../../shared/auth';
import {
	socketPath,
	subscribeRequestSchema,
	unsubscribeRequestSchema,
	type ClientToServerEvents,
	type ServerToClientEvents,
	type StreamEvent,
	type SubscribeAck,
	type SubscribeErrorCode
} from '../../shared/realtime';
import type { AuthService } from '../auth/authService';
import type { SessionEnd } from '../auth/sessionEvents';
import { isAllowedOrigin } from '../http/origin';
import { replayInPages, type ReplayTicket } from './replay';
import { socketDrained } from './socketDrain';
import type { StreamRegistry } from './streamRegistry';
import { TokenBucket } from './tokenBucket';

/** What one socket may ask of the server. Generous for a browser tab; a flood meets a clear refusal. */
export const socketLimits = {
	/** Streams one socket may follow at once. */
	maxStreams: 100,
	/** Subscribes per second on average, and the burst allowed on (re)connect. */
	subscribesPerSecond: 10,
	subscribeBurst: 30,
	/** Refused subscribes in a row after which the connection is closed: past this it is a flood, not a client. */
	refusalsBeforeDisconnect: 100,
	/** Events per replay page: one page is the most a replay holds in memory, and one page's work the longest it blocks. */
	replayPageSize: 200
};

interface SocketData {
	user: SessionUser;
	sessionId: string;
	/** Streams this socket follows or is being replayed, with the replay in flight for each. */
	streams: Map<string, ReplayTicket>;
	subscribes: TokenBucket;
	/** Subscribes refused for rate in a row. */
	refusedInARow: number;
}

type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const refuse = (code: SubscribeErrorCode, message: string): SubscribeAck => ({ ok: false, error: { code, message } });

/**
 * The socket.io side of the server. Sockets are authenticated at the handshake from the session
 * cookie; each joins a room of its user and of its session (so ending either closes it), and a room
 * per stream it follows.
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

	/** Closes the sockets of ended sessions: one session (sign-out) or all of a user's. */
	disconnectSessions(end: SessionEnd): void {
		this.io.in('sessionId' in end ? `session:${end.sessionId}` : `user:${end.userId}`).disconnectSockets(true);
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
		socket.data.streams = new Map();
		socket.data.subscribes = new TokenBucket(socketLimits.subscribesPerSecond, socketLimits.subscribeBurst);
		socket.data.refusedInARow = 0;
	}

	private onConnection(socket: HubSocket): void {
		// Stream names always contain a colon and a registered kind, so these rooms cannot be subscribed to.
		void socket.join([`user:${socket.data.user.id}`, `session:${socket.data.sessionId}`]);
		socket.on('stream:subscribe', (raw, ack) => {
			void this.subscribe(socket, raw).then((reply) => {
				if (typeof ack === 'function') ack(reply);
			});
		});
		socket.on('stream:unsubscribe', (raw) => {
			const parsed = unsubscribeRequestSchema.safeParse(raw);
			if (parsed.success) this.unfollow(socket, parsed.data.stream);
		});
		socket.on('disconnect', () => {
			for (const ticket of socket.data.streams.values()) ticket.cancelled = true;
		});
	}

	private unfollow(socket: HubSocket, stream: string): void {
		const ticket = socket.data.streams.get(stream);
		if (ticket) ticket.cancelled = true;
		socket.data.streams.delete(stream);
		void socket.leave(stream);
	}

	private async subscribe(socket: HubSocket, raw: unknown): Promise<SubscribeAck> {
		// The rate check comes first, so a flood costs no parsing beyond this and no database reads; a
		// client that keeps going after its refusals is disconnected, so the flood stops costing acks too.
		if (!socket.data.subscribes.take()) {
			if (++socket.data.refusedInARow >= socketLimits.refusalsBeforeDisconnect) setImmediate(() => socket.disconnect(true));
			return refuse(
				'rate_limited',
				`Too many subscribes: at most ${socketLimits.subscribesPerSecond} a second per connection; ${socketLimits.refusalsBeforeDisconnect} refusals in a row close it.`
			);
		}
		socket.data.refusedInARow = 0;
		const parsed = subscribeRequestSchema.safeParse(raw);
		if (!parsed.success) return refuse('invalid_request', parsed.error.issues[0]?.message ?? 'Bad request');
		const { stream, afterSeq } = parsed.data;
		if (!socket.data.streams.has(stream) && socket.data.streams.size >= socketLimits.maxStreams) {
			return refuse('too_many_streams', `One connection may follow at most ${socketLimits.maxStreams} streams; unsubscribe from some first.`);
		}
		// The session may have ended since the handshake (sign-out, role change): check it again.
		const { user } = await this.auth.validate(socket.data.sessionId);
		if (!user) {
			socket.disconnect(true);
			return refuse('unauthenticated', 'Your session has ended.');
		}
		socket.data.user = user;
		const resolved = this.streams.resolve(stream, user);
		if (!resolved.ok) return refuse(resolved.code, resolved.message);
		if (socket.disconnected) return refuse('unauthenticated', 'The connection closed.');

		// A new subscribe to a stream supersedes the one before: its replay stops, and live delivery
		// pauses until the new replay has caught up.
		this.unfollow(socket, stream);
		const ticket: ReplayTicket = { cancelled: false };
		socket.data.streams.set(stream, ticket);
		const source = resolved.source;
		if (afterSeq === undefined) {
			void socket.join(stream);
			return { ok: true, stream, lastSeq: source.lastSeq(), replayed: 0 };
		}
		let lastSeq = 0;
		const outcome = await replayInPages(source, afterSeq, socketLimits.replayPageSize, {
			send: (events) => socket.emit('stream:replay', { stream, events }),
			goLive: () => {
				void socket.join(stream);
				lastSeq = source.lastSeq();
			},
			drained: () => socketDrained(socket)
		}, ticket);
		if (!outcome.done) return refuse('superseded', `A newer subscribe to "${stream}", an unsubscribe or a disconnect ended this replay.`);
		return { ok: true, stream, lastSeq, replayed: outcome.replayed };
	}
}
