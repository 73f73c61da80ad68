import type { ModelSummary } from '../../shared/models';
import type { RunRecord } from '../../shared/run/runRecord';
import { resumableStatuses } from '../../shared/run/runRecord';
import { savedModelCommandPath } from '../../shared/run/savedModelPath';
import { swiftCommand, trainScript } from '../../shared/run/swiftCommand';
import type { CheckpointInfo } from './runFiles';

/**
 * The `swift sft` command that continues a stopped, interrupted or failed run from its newest checkpoint,
 * with paths as they are under SWIFTBOARD_DATA_DIR; null when the run cannot resume.
 */
export function resumeCommand(run: RunRecord, checkpoints: CheckpointInfo[], models: readonly ModelSummary[]): { command: string; script: string } | null {
	const last = checkpoints.at(-1);
	if (!last || !resumableStatuses.includes(run.status)) return null;
	const outputDir = `runs/${run.id}`;
	const paths = {
		datasetPath: `datasets/${run.config.dataset}/data.jsonl`,
		valDatasetPath: run.config.val_dataset ? `datasets/${run.config.val_dataset}/data.jsonl` : null,
		outputDir,
		savedModel: savedModelCommandPath(run.config.model, models),
		// Every checkpoint carries its optimizer, scheduler and RNG state, so the whole state resumes.
		resume: { checkpoint: `${outputDir}/checkpoint-${last.step}`, onlyModel: false }
	};
	return { command: swiftCommand(run.config, paths), script: trainScript(run.config, paths) };
}
