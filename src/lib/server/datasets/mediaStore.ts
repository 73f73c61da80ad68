import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ResolvedMedia } from './mediaResolver';

/**
 * Content-addressed media: each file is stored once as `media/<sha256>.<ext>`, however many rows or
 * uploads carry it. Files are hashed while they are copied, so each is read exactly once.
 */
export class MediaStore {
	private readonly storedByPath = new Map<string, string>();
	private readonly storedNames = new Set<string>();
	private temporaryCounter = 0;
	files = 0;
	bytes = 0;

	constructor(private readonly mediaDir: string) {}

	/** Stores the media and returns its reference relative to the dataset folder. */
	async store(media: ResolvedMedia): Promise<string> {
		const { source, sniffed } = media;
		if (source.type === 'file') {
			const known = this.storedByPath.get(source.path);
			if (known) return known;
			const stored = await this.copyHashed(source.path, sniffed.ext);
			this.storedByPath.set(source.path, stored);
			return stored;
		}
		const hash = createHash('sha256').update(source.bytes).digest('hex');
		const name = `${hash}.${sniffed.ext}`;
		if (!(await this.exists(name))) {
			await writeFile(path.join(this.mediaDir, name), source.bytes);
			this.count(name, source.bytes.length);
		}
		return `media/${name}`;
	}

	private async copyHashed(sourcePath: string, ext: string): Promise<string> {
		const hash = createHash('sha256');
		let size = 0;
		const temporary = path.join(this.mediaDir, `.incoming-${process.pid}-${this.temporaryCounter++}`);
		await pipeline(
			createReadStream(sourcePath),
			new Transform({
				transform(chunk: Buffer, _encoding, callback) {
					hash.update(chunk);
					size += chunk.length;
					callback(null, chunk);
				}
			}),
			createWriteStream(temporary)
		);
		const name = `${hash.digest('hex')}.${ext}`;
		if (await this.exists(name)) {
			await unlink(temporary);
		} else {
			await rename(temporary, path.join(this.mediaDir, name));
			this.count(name, size);
		}
		return `media/${name}`;
	}

	private async exists(name: string): Promise<boolean> {
		if (this.storedNames.has(name)) return true;
		try {
			await access(path.join(this.mediaDir, name));
			this.storedNames.add(name);
			return true;
		} catch {
			return false;
		}
	}

	private count(name: string, size: number): void {
		this.storedNames.add(name);
		this.files++;
		this.bytes += size;
	}
}
