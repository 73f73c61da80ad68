import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Bytes of the regular files under `dir` (links are not followed); 0 when it does not exist. */
export async function dirBytes(dir: string): Promise<number> {
	let entries;
	try {
		entries = await readdir(dir, { withFileTypes: true });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
		throw error;
	}
	let total = 0;
	for (const entry of entries) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) total += await dirBytes(full);
		else if (entry.isFile()) total += await lstat(full).then((info) => info.size, () => 0);
	}
	return total;
}
