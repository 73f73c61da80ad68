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
 * dataset import, a chat attachment) claims them. Unclaimed files are swept once older than
 * SWIFTBOARD_UPLOAD_TTL_HOURS (a day by default).
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

	/** Bytes of the uploads `ownerId` keeps here. */
	async usage(ownerId: string): Promise<number> {
		let total = 0;
		for (const name of await fs.promises.readdir(this.dir)) {
			if (!name.endsWith('.json')) continue;
			try {
				const meta = JSON.parse(await fs.promises.readFile(path.join(this.dir, name), 'utf8')) as { ownerId: string; size: number };
				if (meta.ownerId === ownerId) total += meta.size;
			} catch {
				// Swept or half-written meanwhile: it holds nothing to count.
			}
		}
		return total;
	}

	/**
	 * Removes what is older than `maxAgeMs`, by its last write, so an upload still streaming is never
	 * touched. At start (`atStart`) every `.part` goes too: no upload can be in flight then.
	 */
	sweep(maxAgeMs = 24 * 3600_000, now = Date.now(), atStart = false): number {
		let removed = 0;
		for (const name of fs.readdirSync(this.dir)) {
			const file = path.join(this.dir, name);
			try {
				const stale = (atStart && name.endsWith('.part')) || now - fs.statSync(file).mtimeMs > maxAgeMs;
				if (stale) {
					fs.rmSync(file, { force: true, recursive: true });
					removed++;
				}
			} catch (error) {
				// Claimed or finished between the listing and the look.
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
			}
		}
		return removed;
	}

	/** Sweeps now and then every so often for as long as the server runs; returns the stop function. */
	sweepPeriodically(maxAgeMs: number): () => void {
		this.sweep(maxAgeMs, Date.now(), true);
		const timer = setInterval(() => this.sweep(maxAgeMs), Math.min(3600_000, Math.max(1000, maxAgeMs / 4)));
		timer.unref();
		return () => clearInterval(timer);
	}
}
