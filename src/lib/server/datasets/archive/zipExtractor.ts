import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { writeEntry } from './entryWriter';
import type { ExtractionBudget } from './extractionBudget';
import { safeEntryPath } from './safeEntryPath';

/**
 * Zip extraction from the central directory (the authoritative list of entries), reading one entry at a
 * time. Names are decoded and vetted here rather than by the library, so one bad entry is reported and
 * skipped instead of aborting the whole archive.
 */

export interface RefusedEntry {
	entry: string;
	reason: string;
}

const UTF8_NAME_FLAG = 0x800;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const MADE_BY_UNIX = 3;

function entryName(entry: Entry): string {
	const raw = entry.fileNameRaw;
	return raw.toString((entry.generalPurposeBitFlag & UTF8_NAME_FLAG) !== 0 ? 'utf8' : 'latin1');
}

/** Unix-made zips keep the file mode in the upper external attributes; anything but a plain file is refused. */
function specialFileKind(entry: Entry): string | null {
	if (entry.versionMadeBy >> 8 !== MADE_BY_UNIX) return null;
	const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
	if (mode === 0 || mode === S_IFREG) return null;
	return mode === S_IFLNK ? 'it is a symbolic link' : 'it is not a regular file';
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
	return new Promise((resolve, reject) => {
		const onEntry = (entry: Entry) => {
			cleanup();
			resolve(entry);
		};
		const onEnd = () => {
			cleanup();
			resolve(null);
		};
		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};
		const cleanup = () => {
			zip.off('entry', onEntry);
			zip.off('end', onEnd);
			zip.off('error', onError);
		};
		zip.on('entry', onEntry);
		zip.on('end', onEnd);
		zip.on('error', onError);
		zip.readEntry();
	});
}

export async function extractZip(
	archivePath: string,
	destination: string,
	budget: ExtractionBudget,
	onBytes: (bytes: number) => void
): Promise<RefusedEntry[]> {
	const refused: RefusedEntry[] = [];
	const zip = await yauzl.openPromise(archivePath, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
	try {
		for (let entry = await nextEntry(zip); entry !== null; entry = await nextEntry(zip)) {
			budget.takeEntry();
			const name = entryName(entry);
			onBytes(entry.compressedSize);
			if (name.endsWith('/')) continue;
			const special = entry.isEncrypted() ? 'it is encrypted' : specialFileKind(entry);
			const safe = safeEntryPath(name);
			if (special || !safe.ok) {
				refused.push({ entry: name, reason: special ?? (safe.ok ? '' : safe.reason) });
				continue;
			}
			const content = await zip.openReadStreamPromise(entry);
			await writeEntry(destination, safe.relative, content, budget);
		}
	} finally {
		zip.close();
	}
	return refused;
}
