import type { Socket } from 'socket.io';

/** The parts of engine.io's connection that tell whether what was written has left the process. */
interface EngineConnection {
	writeBuffer: unknown[];
	transport: { writable: boolean; on(event: 'drain', fn: () => void): void; off(event: 'drain', fn: () => void): void };
}

/** How often to look again when no drain event arrives (a transport upgrade swaps the transport). */
const recheckMs = 25;

/**
 * Resolves true once everything emitted on the socket has been handed to the kernel (engine.io's
 * buffer is empty and its transport writable again), false when the socket disconnects first. A client
 * that does not read fills the TCP window, the transport stays unwritable, and the caller waits.
 */
export function socketDrained(socket: Socket): Promise<boolean> {
	return new Promise((resolve) => {
		const conn = socket.conn as unknown as EngineConnection;
		let transport = conn.transport;
		const finish = (value: boolean) => {
			clearInterval(timer);
			transport.off('drain', check);
			socket.off('disconnect', gone);
			resolve(value);
		};
		const gone = () => finish(false);
		function check() {
			if (socket.disconnected) return finish(false);
			if (conn.transport !== transport) {
				transport.off('drain', check);
				transport = conn.transport;
				transport.on('drain', check);
			}
			if (conn.writeBuffer.length === 0 && conn.transport.writable) finish(true);
		}
		const timer = setInterval(check, recheckMs);
		transport.on('drain', check);
		socket.on('disconnect', gone);
		check();
	});
}
