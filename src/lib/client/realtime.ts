import { io, type Socket } from 'socket.io-client';
import {
	socketPath,
	type ClientToServerEvents,
	type ServerToClientEvents,
	type StreamEvent,
	type SubscribeAck
} from '$lib/shared/realtime';

type Listener = (event: StreamEvent) => void;

const retryAfterRateLimitMs = 1000;

interface Follow {
	lastSeq: number | undefined;
	listeners: Set<Listener>;
}

/**
 * The browser's one socket, handed to pages and components by `realtimeContext.ts`. `follow` subscribes to a stream and keeps the last sequence number seen;
 * after a reconnect it subscribes again from that number, so listeners get every event once, in order.
 */
export class RealtimeClient {
	private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
	private readonly follows = new Map<string, Follow>();

	constructor(url = '') {
		this.socket = io(url, { path: socketPath, withCredentials: true, transports: ['websocket', 'polling'] });
		this.socket.on('stream:event', (event) => this.deliver(event));
		this.socket.on('stream:replay', (batch) => {
			for (const event of batch.events) this.deliver(event);
		});
		this.socket.on('connect', () => {
			for (const [stream, follow] of this.follows) this.subscribe(stream, follow);
		});
	}

	/** Follows a stream from `afterSeq` (history the caller already has) or from now. Returns an unfollow. */
	follow(stream: string, listener: Listener, afterSeq?: number): () => void {
		let follow = this.follows.get(stream);
		if (!follow) {
			follow = { lastSeq: afterSeq, listeners: new Set() };
			this.follows.set(stream, follow);
			if (this.socket.connected) this.subscribe(stream, follow);
		}
		follow.listeners.add(listener);
		let followed = true;
		// Idempotent, and never touches a later follow of the same stream: pages and components share this socket.
		return () => {
			if (!followed) return;
			followed = false;
			follow.listeners.delete(listener);
			if (follow.listeners.size === 0 && this.follows.get(stream) === follow) {
				this.follows.delete(stream);
				this.socket.emit('stream:unsubscribe', { stream });
			}
		};
	}

	close(): void {
		this.socket.close();
	}

	private subscribe(stream: string, follow: Follow): void {
		this.socket.emit('stream:subscribe', { stream, afterSeq: follow.lastSeq }, (ack: SubscribeAck) => {
			if (ack.ok) {
				if (follow.lastSeq === undefined) follow.lastSeq = ack.lastSeq;
			} else if (ack.error.code === 'rate_limited') {
				// The server allows a burst on connect, then a steady rate: ask again shortly.
				setTimeout(() => {
					if (this.follows.get(stream) === follow && this.socket.connected) this.subscribe(stream, follow);
				}, retryAfterRateLimitMs);
			} else if (ack.error.code !== 'superseded') {
				console.warn(`Cannot follow ${stream}: ${ack.error.message}`);
			}
		});
	}

	private deliver(event: StreamEvent): void {
		const follow = this.follows.get(event.stream);
		if (!follow) return;
		// Replay and live delivery can overlap only at the edge; the sequence number settles it.
		if (follow.lastSeq !== undefined && event.seq <= follow.lastSeq) return;
		follow.lastSeq = event.seq;
		for (const listener of follow.listeners) listener(event);
	}
}
