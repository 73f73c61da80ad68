import { z } from 'zod';

/**
 * Realtime protocol shared by the socket.io hub and the browser client.
 *
 * Everything that happens to a resource travels on a *stream* named `<kind>:<id>` (`run:42`) or, for
 * server-wide streams, a fixed name (`server:heartbeat`). Every event on a stream carries a sequence
 * number that increases by one; a client that reconnects subscribes again with the last number it saw
 * and the server replays what it missed before any live event, so nothing is lost or duplicated.
 */

export const streamNameSchema = z
	.string()
	.max(120)
	.regex(/^[a-z]+:[A-Za-z0-9_-]+$/, 'Stream names look like "kind:id"');

export const subscribeRequestSchema = z.object({
	stream: streamNameSchema,
	/** The last sequence number the client holds; omit to receive only new events. */
	afterSeq: z.number().int().min(0).optional()
});
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

export const unsubscribeRequestSchema = z.object({ stream: streamNameSchema });

/**
 * Why a subscribe was refused: the usual API codes, plus `rate_limited` (too many subscribes a
 * second; try again shortly), `too_many_streams` (unsubscribe from some first) and `superseded` (a newer
 * subscribe to the same stream, an unsubscribe or a disconnect ended this one's replay).
 */
export type SubscribeErrorCode = 'invalid_request' | 'unauthenticated' | 'forbidden' | 'not_found' | 'rate_limited' | 'too_many_streams' | 'superseded';

/** Sent once the replay (if any) has caught up and live events follow. */
export type SubscribeAck =
	| { ok: true; stream: string; lastSeq: number; replayed: number }
	| { ok: false; error: { code: SubscribeErrorCode; message: string } };

export const streamEventSchema = z.object({
	stream: z.string(),
	seq: z.number().int().min(1),
	type: z.string(),
	at: z.number(),
	data: z.unknown()
});
export type StreamEvent<T = unknown> = Omit<z.infer<typeof streamEventSchema>, 'data'> & { data: T };

export const heartbeatStream = 'server:heartbeat';
export const heartbeatDataSchema = z.object({ uptimeS: z.number(), rssMiB: z.number() });
export type HeartbeatData = z.infer<typeof heartbeatDataSchema>;

/** Socket.io event maps, typed once for both ends. */
export interface ServerToClientEvents {
	'stream:event': (event: StreamEvent) => void;
	/**
	 * Missed events after a (re)subscribe, in order and in pages, before any live event. The server
	 * sends the next page only once the client has taken the last one.
	 */
	'stream:replay': (batch: { stream: string; events: StreamEvent[] }) => void;
}
export interface ClientToServerEvents {
	'stream:subscribe': (request: SubscribeRequest, ack: (reply: SubscribeAck) => void) => void;
	'stream:unsubscribe': (request: z.infer<typeof unsubscribeRequestSchema>) => void;
}

/** The socket.io path, fixed so proxies can route it. */
export const socketPath = '/socket.io';
