import { mkdir, stat } from 'node:fs/promises';
import type { DatasetError } from '../../../shared/dataset';
import { ExtractionBudget, ExtractionLimitError, type ExtractionLimits } from './extractionBudget';
import { extractTar } from './tarExtractor';
import { extractZip } from './zipExtractor';

export type ArchiveKind = 'zip' | 'tar' | 'tar.gz';

export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = {
	maxEntries: 200_000,
	maxTotalBytes: 64 * 1024 ** 3,
	maxEntryBytes: 4 * 1024 ** 3,
	maxExpansionRatio: 100
};

export function archiveKindOf(fileName: string): ArchiveKind | null {
	const lower = fileName.toLowerCase();
	if (lower.endsWith('.zip')) return 'zip';
	if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
	if (lower.endsWith('.tar')) return 'tar';
	return null;
}

export interface ExtractionResult {
	files: number;
	bytes: number;
	errors: DatasetError[];
}

function archiveError(file: string, field: string | null, message: string): DatasetError {
	return { file, line: null, field, kind: 'archive_rejected', message };
}

/**
 * Unpacks an uploaded archive into `destination`. Unsafe entries (links, absolute or `..` paths) are
 * skipped and reported one by one; passing a size or entry-count limit, or a corrupt archive, stops the
 * extraction and is reported for the archive as a whole.
 */
export async function extractArchive(
	archivePath: string,
	displayName: string,
	kind: ArchiveKind,
	destination: string,
	limits: ExtractionLimits = DEFAULT_EXTRACTION_LIMITS,
	onBytes: (bytes: number) => void = () => {}
): Promise<ExtractionResult> {
	await mkdir(destination, { recursive: true });
	const budget = new ExtractionBudget(limits, (await stat(archivePath)).size);
	const errors: DatasetError[] = [];
	try {
		const refused =
			kind === 'zip'
				? await extractZip(archivePath, destination, budget, onBytes)
				: await extractTar(archivePath, kind === 'tar.gz', destination, budget, onBytes);
		for (const { entry, reason } of refused) {
			errors.push(archiveError(displayName, entry, `The archive entry "${entry}" was skipped because ${reason}.`));
		}
	} catch (error) {
		const reason =
			error instanceof ExtractionLimitError
				? `Extraction stopped: ${error.message}.`
				: `The archive could not be read: ${error instanceof Error ? error.message : String(error)}.`;
		errors.push(archiveError(displayName, null, reason));
	}
	return { files: budget.entries, bytes: budget.bytes, errors };
}
