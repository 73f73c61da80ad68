import fs from 'node:fs';
import path from 'node:path';
import type { SessionUser } from '../../../shared/auth';
import { datasetPurposeSchema, datasetSplitSchema, type DatasetError, type DatasetSplit, type DatasetStats, type ImportProgress } from '../../../shared/dataset';
import type { DatasetRecord, DatasetsRepository } from '../../db/datasets';
import { newId } from '../../db/ids';
import { requireOwnerOrAdmin } from '../../auth/ownership';
import { HttpError } from '../../http/httpError';
import type { UploadedFile } from '../../uploads/uploadRoutes';
import type { UserQuota } from '../../storage/userQuota';
import { DEFAULT_IMPORT_LIMITS, importDataset, type ImportLimits } from '../importDataset';
import { datasetPaths, readStoredErrors } from '../store';
import { validationRowIndices } from '../split';
import { readRowPage } from './rowPages';
import { rowsOver } from './tokenCounts';

/** Media file names as the store writes them: content hash and extension, nothing else. */
const mediaFileName = /^[0-9a-f]{64}\.[a-z0-9]{2,5}$/;

export interface UploadOutcome {
	dataset: DatasetRecord | null;
	summary: Awaited<ReturnType<typeof importDataset>>['summary'];
	errors: DatasetError[];
}

/** The upload form's optional `splitRatio` and `splitSeed` fields (defaults otherwise). */
function splitFromFields(fields: Record<string, string>): DatasetSplit {
	const parsed = datasetSplitSchema.safeParse({
		ratio: fields.splitRatio ? Number(fields.splitRatio) : undefined,
		seed: fields.splitSeed ? Number(fields.splitSeed) : undefined
	});
	if (!parsed.success) throw new HttpError('invalid_request', 'The split needs a ratio between 0 and 1 and a whole-number seed.', { split: 'ratio 0..1, whole seed' });
	return parsed.data;
}

export interface CatalogOptions {
	limits?: Partial<ImportLimits>;
	/** Caps what an import may unpack to what the uploader has left. */
	quota?: UserQuota;
}

/** Datasets as users see them: import from an upload, browse, rename, delete. */
export class DatasetCatalog {
	constructor(
		private readonly repository: DatasetsRepository,
		private readonly dataDir: string,
		private readonly inUse: (datasetId: string) => boolean,
		private readonly options: CatalogOptions = {}
	) {}

	/**
	 * At start: a dataset folder with no committed row is what an import killed midway left behind
	 * (its row is only written once the import is complete). Returns the folders removed.
	 */
	async sweepPartialImports(): Promise<string[]> {
		const root = path.join(this.dataDir, 'datasets');
		const names = await fs.promises.readdir(root).catch(() => [] as string[]);
		const partial = names.filter((name) => !this.repository.get(name));
		for (const name of partial) await fs.promises.rm(path.join(root, name), { recursive: true, force: true });
		return partial;
	}

	private async limitsFor(user: SessionUser, uploadedBytes: number): Promise<Partial<ImportLimits>> {
		const limits = { ...DEFAULT_IMPORT_LIMITS, ...this.options.limits };
		if (!this.options.quota) return limits;
		// The uploaded files are still in the temp dir: what they unpack to must fit beside them.
		const room = Math.max(0, (await this.options.quota.remaining(user.id)) - uploadedBytes);
		return { ...limits, extraction: { ...limits.extraction, maxTotalBytes: Math.min(limits.extraction.maxTotalBytes, room) } };
	}

	list(): DatasetRecord[] {
		return this.repository.list();
	}

	get(id: string): DatasetRecord {
		const dataset = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? this.repository.get(id) : null;
		if (!dataset) throw new HttpError('not_found', `No dataset "${id}".`);
		return dataset;
	}

	async importUpload(user: SessionUser, files: UploadedFile[], fields: Record<string, string>, onProgress?: (progress: ImportProgress) => void): Promise<UploadOutcome> {
		if (files.length === 0) throw new HttpError('invalid_request', 'Attach at least one .jsonl, .json or .csv file.', { files: 'No files' });
		const purpose = datasetPurposeSchema.safeParse(fields.purpose ?? 'auto');
		if (!purpose.success) throw new HttpError('invalid_request', `Unknown purpose "${fields.purpose}".`, { purpose: 'auto, sft, dpo or kto' });
		const name = (fields.name ?? '').trim() || path.parse(files[0].originalName).name;
		const split = splitFromFields(fields);
		const maxLength = fields.maxLength ? Number(fields.maxLength) : undefined;
		if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength > 0)) {
			throw new HttpError('invalid_request', `"maxLength" must be a positive whole number, got "${fields.maxLength}".`, { maxLength: 'A positive whole number' });
		}
		const id = newId().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 16);
		const result = await importDataset(
			files.map((f) => ({ path: f.path, name: f.originalName })),
			{
				dataDir: this.dataDir,
				datasetId: id,
				skipInvalid: fields.skipInvalid === 'true',
				purpose: purpose.data,
				split,
				maxLength,
				onProgress,
				limits: await this.limitsFor(user, files.reduce((sum, f) => sum + f.size, 0))
			}
		);
		if (!result.summary.imported) {
			await fs.promises.rm(datasetPaths(this.dataDir, id).dir, { recursive: true, force: true });
			return { dataset: null, summary: result.summary, errors: result.errors };
		}
		const record: DatasetRecord = {
			id,
			name: name.slice(0, 120),
			ownerId: user.id,
			format: result.summary.files.find((f) => f.format)?.format ?? 'messages',
			rowCount: result.summary.rowsStored,
			errorCount: result.summary.errorCount,
			stats: { ...result.stats, summary: result.summary },
			createdAt: Date.now()
		};
		this.repository.insert(record);
		return { dataset: record, summary: result.summary, errors: result.errors };
	}

	rows(id: string, offset: number, limit: number, query?: string) {
		const dataset = this.get(id);
		return readRowPage(datasetPaths(this.dataDir, id).data, offset, limit, dataset.rowCount, query);
	}

	/** The exact share of rows longer than `maxLength` tokens (the statistics hold it only for the import's max_length). */
	async overMaxLength(id: string, maxLength: number): Promise<{ maxLength: number; rows: number; over: number; share: number }> {
		this.get(id);
		const { rows, over } = await rowsOver(datasetPaths(this.dataDir, id).data, maxLength);
		return { maxLength, rows, over, share: rows === 0 ? 0 : over / rows };
	}

	async errors(id: string, offset: number, limit: number, kind?: string): Promise<{ errors: DatasetError[]; total: number }> {
		this.get(id);
		const paths = datasetPaths(this.dataDir, id);
		if (!fs.existsSync(paths.errors)) return { errors: [], total: 0 };
		const errors: DatasetError[] = [];
		let total = 0;
		for await (const error of readStoredErrors(paths)) {
			if (kind && error.kind !== kind) continue;
			if (total >= offset && errors.length < limit) errors.push(error);
			total++;
		}
		return { errors, total };
	}

	allErrors(id: string): AsyncGenerator<DatasetError> {
		this.get(id);
		const paths = datasetPaths(this.dataDir, id);
		return fs.existsSync(paths.errors) ? readStoredErrors(paths) : (async function* () {})();
	}

	mediaFile(id: string, file: string): string {
		this.get(id);
		if (!mediaFileName.test(file)) throw new HttpError('not_found', 'No such media file.');
		const full = path.join(datasetPaths(this.dataDir, id).media, file);
		// Only files the import wrote are served: a link placed in media/ could point anywhere.
		const info = fs.lstatSync(full, { throwIfNoEntry: false });
		if (!info?.isFile()) throw new HttpError('not_found', 'No such media file.');
		return full;
	}

	rename(id: string, name: string): DatasetRecord {
		this.get(id);
		this.repository.rename(id, name);
		return this.get(id);
	}

	/** A new train/validation split only changes which rows are held out: the statistics' count is recomputed. */
	changeSplit(id: string, split: DatasetSplit): DatasetRecord {
		const dataset = this.get(id);
		const stats = dataset.stats as DatasetStats | null;
		if (stats) this.repository.setStats(id, { ...stats, split, validationRows: validationRowIndices(dataset.rowCount, split).length });
		return this.get(id);
	}

	async delete(id: string, user: SessionUser): Promise<void> {
		const dataset = this.get(id);
		requireOwnerOrAdmin({ ownerId: dataset.ownerId, label: `dataset "${dataset.name}"` }, user);
		if (this.inUse(id)) throw new HttpError('conflict', `"${dataset.name}" is used by a queued or running run or eval; stop it first.`);
		this.repository.delete(id);
		await fs.promises.rm(datasetPaths(this.dataDir, id).dir, { recursive: true, force: true });
	}
}
