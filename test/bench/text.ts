// Training text for the bench: this repository's own README and engine sources, as UTF-8 bytes
// (byte values are the token ids, so any vocabulary of 256 or more fits). Nothing is downloaded.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '../../src/lib/engine/kernels/module';

function collect(dir: string, out: string[]): void {
	for (const name of readdirSync(dir).sort()) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) collect(path, out);
		else if (/\.(ts|md)$/.test(name)) out.push(path);
	}
}

export function readTrainingText(): Uint8Array {
	const root = findPackageRoot();
	const files: string[] = [];
	for (const f of ['README.md']) {
		try {
			statSync(join(root, f));
			files.push(join(root, f));
		} catch {
			// an absent README just means less text
		}
	}
	collect(join(root, 'src', 'lib', 'engine'), files);
	collect(join(root, 'kernels', 'assembly'), files);
	const parts = files.map((f) => readFileSync(f));
	return new Uint8Array(Buffer.concat(parts));
}
