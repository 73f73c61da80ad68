import { z } from 'zod';

export const deviceSchema = z.object({
	/** Stable slot id: `cpu` or `cuda:<index>`. */
	id: z.string(),
	kind: z.enum(['cpu', 'cuda']),
	name: z.string(),
	memoryMiB: z.number().nullable(),
	/** Present while the slot's worker thread is alive. */
	workerThreadId: z.number().nullable(),
	restarts: z.number(),
	busyWithJob: z.string().nullable()
});
export type Device = z.infer<typeof deviceSchema>;
