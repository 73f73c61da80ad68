import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const routesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/routes');

export interface ApiEndpoint {
	method: string;
	/** A concrete URL path: `[param]` segments filled with a placeholder. */
	path: string;
	file: string;
}

/** Every method exported by every `+server.ts` under src/routes/api, so new routes are tested too. */
export function listApiEndpoints(): ApiEndpoint[] {
	const endpoints: ApiEndpoint[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name === '+server.ts') {
				const source = fs.readFileSync(full, 'utf8');
				const urlPath =
					'/' +
					path
						.relative(routesDir, path.dirname(full))
						.split(path.sep)
						.filter((segment) => !/^\(.*\)$/.test(segment))
						.map((segment) => (/^\[.*\]$/.test(segment) ? 'placeholder-id' : segment))
						.join('/');
				for (const match of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) {
					endpoints.push({ method: match[1], path: urlPath, file: path.relative(routesDir, full) });
				}
			}
		}
	};
	walk(path.join(routesDir, 'api'));
	return endpoints;
}
