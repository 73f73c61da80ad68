import { EventEmitter } from 'node:events';

/** One session ended (sign-out, expiry), or every session of a user (password or role change, deletion). */
export type SessionEnd = { sessionId: string } | { userId: string };

/**
 * Announces ended sessions to whoever holds something open on their behalf (the realtime hub's
 * sockets), so access ends when the session does rather than at the next check.
 */
export class SessionEvents extends EventEmitter<{ ended: [SessionEnd] }> {}
