import fs from 'node:fs';
import path from 'node:path';

/** Bytes of every file under a folder; 0 when it is gone. */
export function folderBytes(dir: string): number {
	let total = 0;
	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(dir, { withFileTypes: true });
	} catch {
		return 0;
	}
	for (const entry of entries) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) total += folderBytes(full);
		else if (entry.isFile()) total += fs.statSync(full, { throwIfNoEntry: false })?.size ?? 0;
	}
	return total;
}

/** Files under a folder, relative to it, for the download's zip. */
export function folderFiles(dir: string, prefix = ''): string[] {
	const files: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) files.push(...folderFiles(path.join(dir, entry.name), relative));
		else if (entry.isFile()) files.push(relative);
	}
	return files;
}
