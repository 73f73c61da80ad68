import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { newId } from '../db/ids';
import { hashingStream, startUploadHash } from './hashThread';

export interface StoredUpload {
	path: string;
	size: number;
	sha256: string;
}

/**
 * A multer storage engine that streams each file to `dir` and hashes it on the way (on the hashing
 * thread), so large files never sit in memory, no second read is needed to fingerprint them, and the
 * event loop only copies bytes. The path is recorded on the
 * file before the first byte is written, so multer's abort cleanup can always find and remove it.
 */
export class HashingDiskStorage implements StorageEngine {
	constructor(private readonly dir: string) {}

	_handleFile(
		_req: Request,
		file: Express.Multer.File,
		callback: (error?: unknown, info?: Partial<Express.Multer.File> & { sha256?: string }) => void
	): void {
		const target = path.join(this.dir, `${newId()}.part`);
		file.path = target;
		const hash = startUploadHash();
		let size = 0;
		file.stream.on('data', (chunk: Buffer) => (size += chunk.length));
		pipeline(file.stream, hashingStream(hash), fs.createWriteStream(target, { flags: 'wx' }))
			.then(() => hash.digest())
			.then(
				(sha256) => callback(null, { path: target, size, sha256 }),
				(error: unknown) => {
					hash.abort();
					fs.rm(target, { force: true }, () => callback(error));
				}
			);
	}

	_removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
		fs.rm(file.path, { force: true }, () => callback(null));
	}
}
