/**
 * Production entry: one http server on one port. Requests go first to the multipart upload routes,
 * socket.io takes its own path, and everything else is SvelteKit (built by `vite build` into build/).
 */
import fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startApp } from './lib/server/app';
import { readServerConfig } from './lib/server/config';
import { projectRoot } from './lib/server/projectRoot';

const protocolHeader = 'x-swiftboard-protocol';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

async function loadSvelteKitHandler(): Promise<NodeHandler> {
	const handlerFile = path.join(projectRoot(), 'build', 'handler.js');
	if (!fs.existsSync(handlerFile)) {
		throw new Error('The web app is not built: run `npm run build` (or `npm start`, which builds when needed).');
	}
	return ((await import(pathToFileURL(handlerFile).href)) as { handler: NodeHandler }).handler;
}

async function main(): Promise<void> {
	const config = readServerConfig(process.env);
	// adapter-node builds request URLs from these, read when its handler loads. Without ORIGIN it would
	// assume https; this server speaks plain http itself, so say so on every request (see below).
	if (config.origin) process.env.ORIGIN = config.origin;
	else process.env.PROTOCOL_HEADER = protocolHeader;
	// adapter-node's 512 KiB default would refuse a chat completion with one inline photo.
	process.env.BODY_SIZE_LIMIT ??= String(config.bodyBytes);
	const svelteKit = await loadSvelteKitHandler();

	const server = createServer();
	const app = await startApp(config, server);
	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		// socket.io answers its own path before this listener runs.
		if (req.url?.startsWith('/socket.io/')) return;
		// Overwritten, never trusted from the client: behind a TLS proxy, set ORIGIN instead.
		req.headers[protocolHeader] = 'http';
		app.uploadMiddleware(req, res, () => svelteKit(req, res));
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolve());
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
	console.log(`SwiftBoard ${app.context.version} is running at http://${shownHost}:${port} (data: ${config.dataDir})`);

	let stopping = false;
	const shutdown = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal} received: stopping SwiftBoard`);
		// A hard deadline, so a stuck worker cannot keep the process alive forever.
		setTimeout(() => process.exit(1), 10_000).unref();
		server.closeIdleConnections();
		app.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error('Shutdown failed:', error);
				process.exit(1);
			}
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
