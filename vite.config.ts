import { sveltekit } from '@sveltejs/kit/vite';
import type { Server as HttpServer } from 'node:http';
import { tsImport } from 'tsx/esm/api';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * In dev, Vite owns the http server; this plugin attaches the same realtime hub, upload routes and
 * device workers that `src/server.ts` attaches in production, so both modes behave alike.
 */
function swiftboardServer(): Plugin {
	return {
		name: 'swiftboard-server',
		async configureServer(server) {
			const httpServer = server.httpServer;
			// Vitest and middleware mode have no http server to attach to.
			if (!httpServer || process.env.VITEST) return;
			// Loaded through tsx, as in production, rather than bundled into this config.
			const { startApp } = (await tsImport('./src/lib/server/app.ts', import.meta.url)) as typeof import('./src/lib/server/app');
			const { readServerConfig } = (await tsImport('./src/lib/server/config.ts', import.meta.url)) as typeof import('./src/lib/server/config');
			const app = await startApp(readServerConfig(process.env), httpServer as HttpServer);
			server.middlewares.use(app.uploadMiddleware);
			httpServer.once('close', () => void app.close());
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), swiftboardServer()],
	server: { port: 7860 },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts', 'test/reference/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000
				}
			},
			{
				// The kernels again on the baseline build, which runtimes without relaxed SIMD load.
				extends: true,
				test: {
					name: 'unit-baseline-kernels',
					include: ['src/lib/engine/kernels/**/*.test.ts', 'src/lib/engine/autograd/ops/*.test.ts'],
					environment: 'node',
					env: { SWIFTBOARD_RELAXED_SIMD: '0' },
					testTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['test/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.ts'],
					environment: 'node',
					testTimeout: 300_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
});
