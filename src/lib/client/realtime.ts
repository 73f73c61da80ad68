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

/** One listener and the last sequence number it was given: followers of one stream can be at different points. */
interface Follower {
	listener: Listener;
	lastSeq: number | undefined;
}

interface Follow {
	/** The highest sequence number delivered (or, before any, where the subscription went live). */
	lastSeq: number | undefined;
	followers: Set<Follower>;
}

/**
 * The browser's one socket, handed to pages and components by `realtimeContext.ts`. `follow` subscribes
 * to a stream and keeps, per follower, the last sequence number it was given. A follower that joins a
 * followed stream further back than where the stream is (a component that loaded older history) makes
 * the socket subscribe again from its point: the server replays from there, and each follower is given
 * only the events after its own last one, so none sees an event twice. After a reconnect the socket
 * subscribes again from the lowest point, so every follower gets every event once, in order.
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
		const follower: Follower = { listener, lastSeq: afterSeq ?? follow?.lastSeq };
		if (!follow) {
			follow = { lastSeq: afterSeq, followers: new Set([follower]) };
			this.follows.set(stream, follow);
			if (this.socket.connected) this.subscribe(stream, follow);
		} else {
			follow.followers.add(follower);
			// Behind the stream's point (or the stream's point not known yet): only a new replay can catch it up.
			const behind = afterSeq !== undefined && (follow.lastSeq === undefined || afterSeq < follow.lastSeq);
			if (behind && this.socket.connected) this.subscribe(stream, follow);
		}
		const followed = follow;
		let following = true;
		// Idempotent, and never touches a later follow of the same stream: pages and components share this socket.
		return () => {
			if (!following) return;
			following = false;
			followed.followers.delete(follower);
			if (followed.followers.size === 0 && this.follows.get(stream) === followed) {
				this.follows.delete(stream);
				this.socket.emit('stream:unsubscribe', { stream });
			}
		};
	}

	close(): void {
		this.socket.close();
	}

	/** Where a (re)subscribe replays from: the follower furthest behind; undefined when all follow from now. */
	private replayFrom(follow: Follow): number | undefined {
		let from: number | undefined;
		for (const { lastSeq } of follow.followers) {
			const point = lastSeq ?? follow.lastSeq;
			if (point !== undefined && (from === undefined || point < from)) from = point;
		}
		return from;
	}

	private subscribe(stream: string, follow: Follow): void {
		this.socket.emit('stream:subscribe', { stream, afterSeq: this.replayFrom(follow) }, (ack: SubscribeAck) => {
			if (ack.ok) {
				if (follow.lastSeq === undefined) follow.lastSeq = ack.lastSeq;
				// Followers from now that have had nothing yet start where the subscription went live.
				for (const follower of follow.followers) follower.lastSeq ??= ack.lastSeq;
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
		if (follow.lastSeq === undefined || event.seq > follow.lastSeq) follow.lastSeq = event.seq;
		// Replays and live delivery overlap (at the edge, and after a follower behind asked for a replay):
		// each follower's own sequence number settles what it has had.
		for (const follower of follow.followers) {
			if (follower.lastSeq !== undefined && event.seq <= follower.lastSeq) continue;
			follower.lastSeq = event.seq;
			follower.listener(event);
		}
	}
}
