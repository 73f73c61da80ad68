// `swift export --merge_lora true` for the built-in engine, under ms-swift's default output name.

import { mergeAdapter } from '../models/saved';

/** Writes the merged model of `checkpoint` into `outDir` (ms-swift names it `<checkpoint>-merged`). */
export async function exportMerged(checkpoint: string, outDir = `${checkpoint}-merged`): Promise<string> {
	await mergeAdapter(checkpoint, outDir);
	return outDir;
}
