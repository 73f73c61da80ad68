import fs from 'node:fs';
import path from 'node:path';
import type { SessionUser } from '../../shared/auth';
import { importNameSchema, type ModelSummary } from '../../shared/models';
import { archiveKindOf, extractArchive } from '../datasets/archive/extractArchive';
import { newId } from '../db/ids';
import { HttpError } from '../http/httpError';
import type { UploadedFile } from '../uploads/uploadRoutes';
import type { ModelRegistry } from './modelRegistry';

/**
 * Imports a model folder uploaded as one zip or as its files (config.json + *.safetensors, or a PEFT
 * adapter). The files are assembled in a staging folder, validated by the engine in the inspector
 * thread, and only then moved to `models/<id>/`; on any failure the staging folder is removed, so
 * nothing half-imported remains.
 */
export async function importModel(
	registry: ModelRegistry,
	user: SessionUser,
	files: UploadedFile[],
	fields: Record<string, string>
): Promise<ModelSummary> {
	if (files.length === 0) throw new HttpError('invalid_request', 'Send a zip of the model folder, or its files (config.json and *.safetensors).', { files: 'No files' });
	const id = newId();
	const staging = path.join(path.dirname(registry.folderFor(id)), `.staging-${id}`);
	fs.mkdirSync(staging, { recursive: true });
	try {
		await assemble(files, staging);
		const root = modelRoot(staging);
		let info;
		try {
			info = await registry.describe(root);
		} catch (error) {
			// The engine names the file and tensor or field; the staging folder is no business of the uploader's.
			const reason = (error instanceof Error ? error.message : String(error)).replaceAll(root, 'the upload');
			throw new HttpError('unprocessable', `This is not a model the engine can load: ${reason}`, { files: reason });
		}
		const target = registry.folderFor(id);
		fs.renameSync(root, target);
		const fallbackName = files.length === 1 ? files[0].originalName.replace(/\.zip$/i, '') : 'imported model';
		const name = importNameSchema.safeParse(fields.name ?? fallbackName);
		const model = registry.add(
			{ id, name: name.success ? name.data : 'imported model', kind: 'imported', runId: null, step: null, baseModel: info.baseModel ? registry.idOfFolder(info.baseModel) : null, ownerId: user.id, createdAt: Date.now() },
			info
		);
		return registry.get(model.id);
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

async function assemble(files: UploadedFile[], staging: string): Promise<void> {
	const archive = files.length === 1 ? archiveKindOf(files[0].originalName) : null;
	if (archive === 'zip') {
		const result = await extractArchive(files[0].path, files[0].originalName, 'zip', staging);
		if (result.errors.length) throw new HttpError('invalid_request', result.errors[0].message, { files: result.errors[0].message });
		return;
	}
	if (files.some((f) => archiveKindOf(f.originalName))) {
		throw new HttpError('invalid_request', 'Send one zip of the model folder, or the folder\'s files without archives.', { files: 'Mixed archive and files' });
	}
	const seen = new Set<string>();
	for (const file of files) {
		if (seen.has(file.originalName)) throw new HttpError('invalid_request', `Two files are named "${file.originalName}".`, { files: 'Duplicate file name' });
		seen.add(file.originalName);
		await fs.promises.rename(file.path, path.join(staging, file.originalName));
	}
}

/** A zip of a folder holds the folder: descend through single directories to the one with the files. */
function modelRoot(dir: string): string {
	const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX');
	if (entries.length === 1 && entries[0].isDirectory()) return modelRoot(path.join(dir, entries[0].name));
	return dir;
}
