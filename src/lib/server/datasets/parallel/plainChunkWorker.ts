import { parentPort } from 'node:worker_threads';
import { classifyChunk, type ChunkRequest } from './plainChunk';

/** Worker thread entry: classifies JSONL chunks (see plainChunk.ts) and hands every buffer back by transfer. */

const port = parentPort;
if (!port) throw new Error('plainChunkWorker runs as a worker thread');

port.on('message', (request: ChunkRequest) => {
	try {
		const result = classifyChunk(request);
		const buffers = [result.chunk, result.out, result.line, result.plain, result.start, result.end, result.outStart, result.outEnd, result.format, result.tokens, result.messages, result.turns];
		port.postMessage(result, buffers.map((array) => array.buffer as ArrayBuffer));
	} catch (error) {
		port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
	}
});
