import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import { writeEntry } from './entryWriter';
import type { ExtractionBudget } from './extractionBudget';
import type { RefusedEntry } from './zipExtractor';
import { safeEntryPath } from './safeEntryPath';

/** Tar and tar.gz extraction as one stream: file -> (gunzip) -> tar parser -> one entry at a time to disk. */

const REGULAR_FILE_TYPES = new Set(['file', 'contiguous-file']);
/** Entry types tar-stream reports for metadata it has already folded into the next entry's header. */
const IGNORED_TYPES = new Set(['directory', 'pax-header', 'pax-global-header', 'gnu-long-path', 'gnu-long-link-path']);

function byteCounter(onBytes: (bytes: number) => void): Transform {
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			onBytes(chunk.length);
			callback(null, chunk);
		}
	});
}

async function drain(entry: AsyncIterable<unknown>): Promise<void> {
	for await (const _ of entry) {
		// Discard the bytes of an entry that is skipped; the parser cannot move on until they are read.
	}
}

export async function extractTar(
	archivePath: string,
	gzipped: boolean,
	destination: string,
	budget: ExtractionBudget,
	onBytes: (bytes: number) => void
): Promise<RefusedEntry[]> {
	const refused: RefusedEntry[] = [];
	const extract = tarStream.extract();
	const stages = [createReadStream(archivePath), byteCounter(onBytes), ...(gzipped ? [createGunzip()] : [])];
	// Started now, awaited after the entries: a failure in the source surfaces through the iterator too.
	const feeding = pipeline([...stages, extract]).then(
		() => null,
		(error: unknown) => error
	);
	try {
		for await (const entry of extract) {
			const { name, type } = entry.header;
			budget.takeEntry();
			if (type && IGNORED_TYPES.has(type)) {
				await drain(entry);
				continue;
			}
			const safe = safeEntryPath(name);
			const special = type && !REGULAR_FILE_TYPES.has(type) ? (type === 'symlink' || type === 'link' ? 'it is a link' : `it is a ${type}`) : null;
			if (special || !safe.ok) {
				refused.push({ entry: name, reason: special ?? (safe.ok ? '' : safe.reason) });
				await drain(entry);
				continue;
			}
			// tar-stream entries are streamx streams; wrapping them gives Node's pipeline a native stream.
			await writeEntry(destination, safe.relative, Readable.from(entry as AsyncIterable<Buffer>), budget);
		}
	} catch (error) {
		extract.destroy();
		await feeding;
		throw error;
	}
	const failure = await feeding;
	if (failure) throw failure;
	return refused;
}
