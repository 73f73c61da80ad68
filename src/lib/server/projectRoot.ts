import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * The directory holding SwiftBoard's package.json. Found by walking up from this module, because the
 * same code runs from source (tsx), from Vite's bundled dev config, and from worker threads.
 */
export function projectRoot(): string {
	if (cached) return cached;
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'swiftboard') {
			cached = dir;
			return dir;
		}
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error('Cannot find the SwiftBoard project root (package.json named "swiftboard")');
		dir = parent;
	}
}
