import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { exportOnnx } from '../../src/lib/engine/export/index';
import { decoderOf } from '../../src/lib/engine/models/modelFiles';
import { loadSavedModel } from '../../src/lib/engine/models/saved';
import { mergeAdapters } from '../../src/lib/engine/tuners/merge';
import { exportJobPayloadSchema, type ModelExportInfo } from '../../src/lib/shared/inference';
import type { JobRunner } from './types';

/** The file beside the graphs that says what the export holds; its presence marks a finished export. */
export const EXPORT_INFO_FILE = 'export.json';

/**
 * Exports a saved model to ONNX (fp32 and int8) for serving. An adapter checkpoint is loaded on its
 * base and merged first. The graphs are written to a sibling folder and renamed into place at the
 * end, so a reader never sees half an export.
 */
export const runExport: JobRunner = async (payload, context) => {
	const { modelId, modelDir, outDir } = exportJobPayloadSchema.parse(payload);
	const tmp = `${outDir}.partial-${context.jobId}`;
	context.progress(0.05, { phase: 'loading' });
	const model = await loadSavedModel(modelDir);
	try {
		mergeAdapters(decoderOf(model));
		context.progress(0.3, { phase: 'exporting' });
		context.log('Writing the ONNX graphs (fp32 and int8)…');
		const result = await exportOnnx(model, tmp, { quantize: 'int8' });
		const info: ModelExportInfo = {
			modelId,
			fingerprint: outDir.split(/[\\/]/).pop() ?? '',
			precisions: ['fp32', 'int8'],
			totals: result.totals,
			sizeBytes: Object.values(result.bytes).reduce((a, b) => a + b, 0),
			int8MaxLogitError: result.int8MaxLogitError ?? null,
			createdAt: Date.now()
		};
		await writeFile(`${tmp}/${EXPORT_INFO_FILE}`, JSON.stringify(info, null, 2));
		await rm(outDir, { recursive: true, force: true });
		await rename(tmp, outDir);
		await stat(outDir);
		context.progress(1, { phase: 'written' });
		context.log(`Export written: ${info.sizeBytes} bytes, int8 max logit error ${info.int8MaxLogitError}.`);
		return { status: 'succeeded', result: info };
	} catch (error) {
		await rm(tmp, { recursive: true, force: true });
		throw error;
	} finally {
		decoderOf(model).dispose();
	}
};
