import type { UploadRoute } from '../uploads/uploadRoutes';
import { importModel } from './modelImport';
import type { ModelRegistry } from './modelRegistry';

/** POST /api/models/import: a zip of a model folder, or the folder's files; 201 with the new model. */
export function modelImportRoute(registry: ModelRegistry): UploadRoute {
	return {
		path: '/api/models/import',
		capability: 'write',
		handle: async ({ user, files, fields }) => ({ status: 201, body: { model: await importModel(registry, user, files, fields) } })
	};
}
