import { mergeAdapter } from '../../src/lib/engine/models/saved';
import { mergeJobPayloadSchema } from '../../src/lib/shared/models';
import type { JobRunner } from './types';

/**
 * `swift export --merge_lora true` for the built-in engine: folds an adapter checkpoint into its base
 * and writes the full model to the payload's folder. Its result is the engine's description of the
 * merged model, which the server registers. A merge has no safe point to stop at, so it runs to the end.
 */
export const runMerge: JobRunner = async (payload, context) => {
	const { adapterDir, outDir } = mergeJobPayloadSchema.parse(payload);
	context.progress(0.05, { phase: 'loading' });
	context.log(`Merging the adapter into its base…`);
	const info = await mergeAdapter(adapterDir, outDir);
	context.progress(1, { phase: 'written' });
	context.log(`Merged model written: ${info.parameters} parameters.`);
	return { status: 'succeeded', result: info };
};
