import { z } from 'zod';

/** Messages between the server and a device worker thread, validated on both sides. */

export const workerCommandSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('start'), jobId: z.string(), kind: z.string(), payload: z.unknown() }),
	/** Ask the running job to stop at its next safe point. */
	z.object({ type: z.literal('stop'), jobId: z.string() }),
	/** The server is closing: end the child processes this worker started, then exit. */
	z.object({ type: z.literal('shutdown') })
]);
export type WorkerCommand = z.infer<typeof workerCommandSchema>;

export const workerEventSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('ready') }),
	z.object({ type: z.literal('progress'), jobId: z.string(), progress: z.number().min(0).max(1), data: z.unknown().optional() }),
	z.object({ type: z.literal('log'), jobId: z.string(), line: z.string() }),
	z.object({ type: z.literal('succeeded'), jobId: z.string(), result: z.unknown().optional() }),
	z.object({ type: z.literal('stopped'), jobId: z.string(), result: z.unknown().optional() }),
	z.object({ type: z.literal('failed'), jobId: z.string(), error: z.string() })
]);
export type WorkerEvent = z.infer<typeof workerEventSchema>;
