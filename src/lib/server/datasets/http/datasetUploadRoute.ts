import type { ImportProgress } from '../../../shared/dataset';
import type { StreamEvent } from '../../../shared/realtime';
import { MemoryStreamSet } from '../../realtime/memoryStreamSet';
import type { StreamRegistry } from '../../realtime/streamRegistry';
import type { UploadRoute } from '../../uploads/uploadRoutes';
import type { DatasetCatalog } from '../catalog/datasetCatalog';

/** Ids the browser picks for an upload's progress stream: long and random, so only the uploader knows one. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * POST /api/datasets: the multipart upload of a dataset's files. Once the files are on disk the import's
 * progress goes out on the stream `import:<uploadId>` (the form's `uploadId` field), which the browser
 * follows before it starts sending. Answers 201 with the new dataset, or 422 with the problems
 * when nothing was kept (the user may send again with skipInvalid).
 */
export function datasetUploadRoute(catalog: DatasetCatalog, streams: StreamRegistry, publish: (event: StreamEvent) => void): UploadRoute {
	const progress = new MemoryStreamSet('import', 50, 20);
	streams.register({ kind: 'import', capability: 'write', open: (id) => (UPLOAD_ID.test(id) ? progress.get(id) : null) });
	return {
		path: '/api/datasets',
		capability: 'write',
		handle: async ({ user, files, fields }) => {
			const stream = fields.uploadId && UPLOAD_ID.test(fields.uploadId) ? progress.get(fields.uploadId) : null;
			const onProgress = stream ? (report: ImportProgress) => publish(stream.next('progress', report)) : undefined;
			const outcome = await catalog.importUpload(user, files, fields, onProgress);
			return { status: outcome.dataset ? 201 : 422, body: outcome };
		}
	};
}
