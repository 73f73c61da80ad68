import fs from 'node:fs';
import path from 'node:path';
import { newId } from '../db/ids';
import type { UploadedFile } from './uploadRoutes';

export interface KeptUpload {
	id: string;
	name: string;
	size: number;
	sha256: string;
}

/**
 * Files uploaded through the generic route, kept in the temp dir under an id until a feature (a
 * dataset import, a chat attachment) claims them. Unclaimed files are swept after a day.
 */
export class UploadStore {
	constructor(private readonly dir: string) {
		fs.mkdirSync(dir, { recursive: true });
	}

	async keep(file: UploadedFile, ownerId: string): Promise<KeptUpload> {
		const id = newId();
		await fs.promises.rename(file.path, path.join(this.dir, id));
		const kept = { id, name: file.originalName, size: file.size, sha256: file.sha256 };
		await fs.promises.writeFile(path.join(this.dir, `${id}.json`), JSON.stringify({ ...kept, ownerId, createdAt: Date.now() }));
		return kept;
	}

	/** The path of a kept upload, only for its owner. */
	async locate(id: string, ownerId: string): Promise<{ path: string; name: string } | null> {
		if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
		try {
			const meta = JSON.parse(await fs.promises.readFile(path.join(this.dir, `${id}.json`), 'utf8')) as {
				ownerId: string;
				name: string;
			};
			return meta.ownerId === ownerId ? { path: path.join(this.dir, id), name: meta.name } : null;
		} catch {
			return null;
		}
	}

	/** Removes interrupted uploads (`.part`) and anything older than `maxAgeMs`. */
	sweep(maxAgeMs = 24 * 3600_000, now = Date.now()): number {
		let removed = 0;
		for (const name of fs.readdirSync(this.dir)) {
			const file = path.join(this.dir, name);
			const stale = name.endsWith('.part') || now - fs.statSync(file).mtimeMs > maxAgeMs;
			if (stale) {
				fs.rmSync(file, { force: true, recursive: true });
				removed++;
			}
		}
		return removed;
	}
}
