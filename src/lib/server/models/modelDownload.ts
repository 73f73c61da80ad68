import path from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { HttpError } from '../http/httpError';
import { folderFiles } from './modelFolder';
import type { ModelRegistry } from './modelRegistry';
import { isPresetModel } from './presetModels';

/** A file name for Content-Disposition: letters, digits and a few safe marks. */
function safeName(name: string): string {
	return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'model';
}

/**
 * Streams a saved model's folder as a zip whose entries sit under one folder named after the model,
 * so unzipping gives back the folder an import accepts. Safetensors are already dense: stored, not deflated.
 */
export function zipModelFolder(registry: ModelRegistry, id: string): Response {
	if (isPresetModel(id)) throw new HttpError('conflict', `"${id}" is a built-in preset: it has no files until a run trains it.`);
	const model = registry.require(id);
	return zipFolder(model.path, model.name);
}

/** Any folder of model files (a saved model, an ONNX export) as a zip under one folder named `name`. */
export function zipFolder(dir: string, name: string): Response {
	const folder = safeName(name);
	const zip = new yazl.ZipFile();
	for (const file of folderFiles(dir)) {
		zip.addFile(path.join(dir, file), `${folder}/${file}`, { compress: !file.endsWith('.safetensors') && !file.endsWith('.onnx') });
	}
	zip.end();
	const body = Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>;
	return new Response(body, {
		headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${folder}.zip"` }
	});
}
