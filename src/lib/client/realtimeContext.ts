import { getContext, onDestroy, setContext } from 'svelte';
import { RealtimeClient } from './realtime';

const key = Symbol('realtime');

/**
 * The tab's one socket, shared by every page and component through context. It opens on first use,
 * which is always in the browser (onMount or an event handler; server rendering never connects), and
 * closes with the layout that provides it. Pages and components only follow and unfollow streams.
 */
export class RealtimeConnection {
	#client: RealtimeClient | null = null;

	get client(): RealtimeClient {
		if (typeof window === 'undefined') throw new Error('The realtime socket opens in the browser only: follow streams in onMount or an event handler');
		return (this.#client ??= new RealtimeClient());
	}

	/** See RealtimeClient.follow. Returns an unfollow, which every follower calls when it is done. */
	follow(...args: Parameters<RealtimeClient['follow']>): () => void {
		return this.client.follow(...args);
	}

	close(): void {
		this.#client?.close();
		this.#client = null;
	}
}

/** Called once by the app layout: every page below it shares this connection. */
export function provideRealtime(): RealtimeConnection {
	const connection = new RealtimeConnection();
	setContext(key, connection);
	onDestroy(() => connection.close());
	return connection;
}

/** The tab's connection; call during component initialisation, under the app layout. */
export function useRealtime(): RealtimeConnection {
	const connection = getContext<RealtimeConnection | undefined>(key);
	if (!connection) throw new Error('useRealtime() needs the app layout above it, which provides the socket');
	return connection;
}
