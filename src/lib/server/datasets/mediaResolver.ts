import { lstat, open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MediaKind } from '../../shared/dataset';
import { classifyMediaRef } from './mediaRef';
import { ACCEPTED_BY_KIND, SNIFF_BYTES, sniffMedia, type SniffedMedia } from './mediaSniff';
import { problem, type RowProblem } from './rowProblem';

/**
 * Finds the file behind each media entry of a row and checks it: it must stay inside the dataset (no
 * absolute paths, no `..`, no symbolic link leading out), exist, be readable, and be the right kind of
 * media by its bytes. Inline base64 is decoded and checked the same way.
 */

export type MediaSource = { type: 'file'; path: string; size: number } | { type: 'bytes'; bytes: Buffer };

export interface ResolvedMedia {
	source: MediaSource;
	sniffed: SniffedMedia;
}

/** A folder refs are looked up in, and the folder they must not leave (through symbolic links). */
export interface SearchFolder {
	base: string;
	boundary: string;
}

export interface MediaResolverOptions {
	/** Loose uploaded files by their uploaded (relative) name, e.g. `images/cat.png`. */
	looseFiles: ReadonlyMap<string, string>;
	folders: readonly SearchFolder[];
	maxMediaBytes: number;
}

const MAX_CACHED_REF_CHARS = 1024;

type Located = { ok: true; media: ResolvedMedia } | { ok: false; kind: RowProblem['kind']; message: string };

async function readHead(filePath: string): Promise<Buffer> {
	const handle = await open(filePath, 'r');
	try {
		const head = Buffer.alloc(SNIFF_BYTES);
		const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
		return head.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

function isInside(child: string, parent: string): boolean {
	return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

export class MediaResolver {
	private readonly located = new Map<string, Promise<Located>>();
	private readonly boundaries = new Map<string, Promise<string>>();
	private readonly byBasename = new Map<string, string | null>();

	constructor(private readonly options: MediaResolverOptions) {
		for (const [name, filePath] of options.looseFiles) {
			const base = path.posix.basename(name);
			// A name matches by itself only when no other loose file shares it.
			this.byBasename.set(base, this.byBasename.has(base) ? null : filePath);
		}
	}

	async resolve(ref: string, kind: MediaKind, field: string): Promise<{ ok: true; media: ResolvedMedia } | { ok: false; problem: RowProblem }> {
		const found = await this.locateOnce(ref);
		if (!found.ok) return { ok: false, problem: problem(found.kind, field, found.message) };
		const { sniffed } = found.media;
		if (!sniffed.kinds.includes(kind)) {
			const shown = ref.startsWith('data:') || ref.length > 120 ? 'The inline data' : `"${ref}"`;
			return {
				ok: false,
				problem: problem('media_wrong_kind', field, `${shown} is a ${sniffed.label}, not ${kind === 'audio' ? 'audio' : `a ${kind}`} (${ACCEPTED_BY_KIND[kind]}).`)
			};
		}
		return found;
	}

	/** Paths are looked up once per file however many rows use them; inline data is never kept. */
	private locateOnce(ref: string): Promise<Located> {
		if (ref.length > MAX_CACHED_REF_CHARS) return this.locate(ref);
		let pending = this.located.get(ref);
		if (!pending) {
			pending = this.locate(ref);
			this.located.set(ref, pending);
		}
		return pending;
	}

	private async locate(ref: string): Promise<Located> {
		const classified = classifyMediaRef(ref);
		if (classified.type === 'refused') return { ok: false, kind: 'path_escape', message: classified.reason };
		if (classified.type === 'inline') return this.checkInline(classified.base64);

		const loose = this.options.looseFiles.get(classified.relative);
		if (loose) return this.checkFile(loose, ref);

		for (const folder of this.options.folders) {
			const candidate = path.resolve(folder.base, classified.relative);
			try {
				await lstat(candidate);
			} catch {
				continue;
			}
			const boundary = await this.realBoundary(folder.boundary);
			let real: string;
			try {
				real = await realpath(candidate);
			} catch {
				return { ok: false, kind: 'media_missing', message: `"${ref}" is a link to a file that does not exist.` };
			}
			if (!isInside(real, boundary)) {
				return { ok: false, kind: 'path_escape', message: `"${ref}" is a symbolic link pointing outside the dataset folder; it was refused.` };
			}
			return this.checkFile(real, ref);
		}
		// Files uploaded one by one lose their folders; a unique file name still identifies them.
		const byName = this.byBasename.get(path.posix.basename(classified.relative));
		if (byName) return this.checkFile(byName, ref);
		return { ok: false, kind: 'media_missing', message: `"${ref}" was not found among the uploaded files.` };
	}

	private realBoundary(dir: string): Promise<string> {
		let real = this.boundaries.get(dir);
		if (!real) {
			real = realpath(dir).catch(() => path.resolve(dir));
			this.boundaries.set(dir, real);
		}
		return real;
	}

	private async checkFile(filePath: string, ref: string): Promise<Located> {
		let size: number;
		let head: Buffer;
		try {
			const info = await stat(filePath);
			if (!info.isFile()) return { ok: false, kind: 'media_unreadable', message: `"${ref}" is a folder, not a file.` };
			size = info.size;
			head = await readHead(filePath);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
			return { ok: false, kind: 'media_unreadable', message: `"${ref}" could not be read (${code}).` };
		}
		if (size === 0) return { ok: false, kind: 'media_unreadable', message: `"${ref}" is an empty file.` };
		if (size > this.options.maxMediaBytes) {
			return { ok: false, kind: 'too_long_field', message: `"${ref}" is ${size} bytes, more than the limit of ${this.options.maxMediaBytes} bytes per media file.` };
		}
		const sniffed = sniffMedia(head);
		if (!sniffed) return { ok: false, kind: 'media_wrong_kind', message: `"${ref}" is not a recognised image, audio or video file.` };
		return { ok: true, media: { source: { type: 'file', path: filePath, size }, sniffed } };
	}

	private checkInline(base64: string): Located {
		const bytes = Buffer.from(base64, 'base64');
		if (bytes.length === 0) return { ok: false, kind: 'media_unreadable', message: 'The inline base64 data decodes to nothing.' };
		if (bytes.length > this.options.maxMediaBytes) {
			return { ok: false, kind: 'too_long_field', message: `The inline data is ${bytes.length} bytes, more than the limit of ${this.options.maxMediaBytes} bytes per media file.` };
		}
		const sniffed = sniffMedia(bytes.subarray(0, SNIFF_BYTES));
		if (!sniffed) return { ok: false, kind: 'media_wrong_kind', message: 'The inline base64 data is not a recognised image, audio or video file.' };
		return { ok: true, media: { source: { type: 'bytes', bytes }, sniffed } };
	}
}
