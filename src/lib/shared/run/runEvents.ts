import { z } from 'zod';
import type { StreamEvent } from '../realtime';
import { runStatuses, trainMetricsSchema } from './runRecord';

/**
 * Everything that happens on a `run:<id>` stream, as one union keyed by the stream event's `type`.
 * The run service emits these, and browsers parse each event with it before they read its data. On the
 * wire the pair travels as the stream event's `type` and `data` (`stream:event {stream, seq, type, at, data}`).
 */
export const runEventSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('metrics'), data: trainMetricsSchema }),
	z.object({ type: z.literal('log'), data: z.object({ line: z.string() }) }),
	/** `name` is the checkpoint's folder in the run (`checkpoint-20`); servers never show where it lies on disk. */
	z.object({ type: z.literal('checkpoint'), data: z.object({ step: z.number().int().min(0), name: z.string() }) }),
	z.object({
		type: z.literal('status'),
		data: z.object({
			status: z.enum(runStatuses),
			error: z.string().optional(),
			/** The device slot a run started on. */
			device: z.string().optional(),
			/** A run that restarted from a checkpoint behind its last logged step: points after it are replaced. */
			resumedFromStep: z.number().int().min(0).optional()
		})
	})
]);
export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventType = RunEvent['type'];

/** A stream event read as a run event, or null where its type or data is not one (logged once by the caller). */
export function parseRunEvent(event: Pick<StreamEvent, 'type' | 'data'>): RunEvent | null {
	const parsed = runEventSchema.safeParse({ type: event.type, data: event.data });
	return parsed.success ? parsed.data : null;
}
