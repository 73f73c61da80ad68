/**
 * Model inspector: a worker thread that runs the engine's `describeSavedModel` on folders the server
 * names (imports, new checkpoints), so the server itself never loads the engine or reads a tensor.
 */
import { parentPort } from 'node:worker_threads';
import { describeSavedModel } from '../src/lib/engine/models/saved';
import { inspectRequestSchema, type InspectReply } from '../src/lib/shared/models';

if (!parentPort) throw new Error('model-inspector must run as a worker thread');
const port = parentPort;

port.on('message', (raw: unknown) => {
	const request = inspectRequestSchema.safeParse(raw);
	if (!request.success) return;
	const { id, dir } = request.data;
	describeSavedModel(dir).then(
		(info) => port.postMessage({ id, ok: true, info } satisfies InspectReply),
		(error: unknown) => port.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies InspectReply)
	);
});
