import { z } from 'zod';
import { trainJobPayloadSchema } from './runRecord';

/** The job kind of a run on the swift engine: the device worker runs `swift sft` / `swift rlhf` as a child process. */
export const swiftTrainJobKind = 'swift-train';

/**
 * A swift run's job: the built-in run's payload plus what the server decides about the ms-swift
 * executable (the client never names a program or a path).
 */
export const swiftTrainJobPayloadSchema = trainJobPayloadSchema.extend({
	swift: z.object({
		/** The `swift` executable the server found (SWIFTBOARD_SWIFT_BIN or PATH). */
		bin: z.string().min(1),
		/** After SIGTERM to the process group, how long to wait before SIGKILL. */
		stopGraceMs: z.number().int().min(0)
	}),
	/** The registry's saved model the run starts from (`--model <dir>`, or `--model <base> --adapters <dir>`). */
	savedModel: z.object({ path: z.string(), format: z.enum(['full', 'adapter']), basePath: z.string().nullable() }).nullable()
});
export type SwiftTrainJobPayload = z.infer<typeof swiftTrainJobPayloadSchema>;
