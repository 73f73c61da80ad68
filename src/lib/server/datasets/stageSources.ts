import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetError } from '../../shared/dataset';
import { archiveKindOf, extractArchive } from './archive/extractArchive';
import type { ExtractionLimits } from './archive/extractionBudget';
import { safeEntryPath } from './archive/safeEntryPath';
import { dataFileKindOf, type DataFileKind } from './dataFileKind';
import type { SearchFolder } from './mediaResolver';

/**
 * Sorts the uploaded files into data files, archives and loose media; unpacks the archives into a staging
 * folder; and works out where each data file's media paths are looked up.
 */

export interface ImportSource {
	/** Where the upload lies on the server. */
	path: string;
	/** The name it was uploaded under, with folders for folder uploads (`images/cat.png`). */
	name: string;
}

export interface StagedDataFile {
	path: string;
	/** Shown in reports and error records. */
	name: string;
	kind: DataFileKind;
	size: number;
	folders: SearchFolder[];
}

export interface StagedSources {
	dataFiles: StagedDataFile[];
	looseFiles: Map<string, string>;
	errors: DatasetError[];
}

/** The file's size, or null (with the error recorded) when it cannot be read. */
async function sizeOf(filePath: string, name: string, errors: DatasetError[]): Promise<number | null> {
	try {
		return (await stat(filePath)).size;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
		errors.push({ file: name, line: null, field: null, kind: 'file_unreadable', message: `The uploaded file could not be read (${code}).` });
		return null;
	}
}

async function listFiles(root: string, relative = ''): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
		const child = relative ? `${relative}/${entry.name}` : entry.name;
		if (entry.isDirectory()) found.push(...(await listFiles(root, child)));
		else if (entry.isFile()) found.push(child);
	}
	return found;
}

export async function stageSources(
	sources: readonly ImportSource[],
	stagingDir: string,
	options: { mediaRoot?: string; extractionLimits: ExtractionLimits; onBytes: (bytes: number) => void }
): Promise<StagedSources> {
	const errors: DatasetError[] = [];
	const looseFiles = new Map<string, string>();
	const direct: { source: ImportSource; kind: DataFileKind }[] = [];
	const shared: SearchFolder[] = [{ base: stagingDir, boundary: stagingDir }];
	if (options.mediaRoot) shared.push({ base: options.mediaRoot, boundary: options.mediaRoot });

	let archiveIndex = 0;
	for (const source of sources) {
		const dataKind = dataFileKindOf(source.name);
		const archiveKind = archiveKindOf(source.name);
		if (dataKind) {
			direct.push({ source, kind: dataKind });
		} else if (archiveKind) {
			// Every archive unpacks at the staging root, so `images/x.png` means the same in each.
			const result = await extractArchive(source.path, source.name, archiveKind, stagingDir, options.extractionLimits, options.onBytes);
			errors.push(...result.errors);
			archiveIndex++;
		} else {
			const safe = safeEntryPath(source.name);
			if (safe.ok) looseFiles.set(safe.relative, source.path);
			else errors.push({ file: source.name, line: null, field: null, kind: 'path_escape', message: `The uploaded file name was refused because ${safe.reason}.` });
			options.onBytes((await sizeOf(source.path, source.name, errors)) ?? 0);
		}
	}

	const dataFiles: StagedDataFile[] = [];
	for (const { source, kind } of direct) {
		const size = await sizeOf(source.path, source.name, errors);
		if (size !== null) dataFiles.push({ path: source.path, name: source.name, kind, size, folders: shared });
	}
	// With no data file uploaded on its own, the data files inside the archives are the dataset; their media
	// paths are looked up beside them first, then at the archive root.
	if (dataFiles.length === 0 && archiveIndex > 0) {
		for (const relative of (await listFiles(stagingDir)).sort()) {
			const kind = dataFileKindOf(relative);
			if (!kind) continue;
			const filePath = path.join(stagingDir, ...relative.split('/'));
			const beside = path.dirname(filePath);
			const folders = beside === stagingDir ? shared : [{ base: beside, boundary: stagingDir }, ...shared];
			dataFiles.push({ path: filePath, name: relative, kind, size: (await stat(filePath)).size, folders });
		}
	}
	if (dataFiles.length === 0 && direct.length === 0) {
		errors.push({
			file: sources[0]?.name ?? '',
			line: null,
			field: null,
			kind: 'unsupported_file',
			message: 'No data file was found: upload a .jsonl, .json or .csv file (on its own or inside the archive).'
		});
	}
	return { dataFiles, looseFiles, errors };
}
