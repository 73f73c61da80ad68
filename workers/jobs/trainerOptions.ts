// The model a run's Trainer starts from. Everything else it is given comes from the shared field
// table (trainerInputsOf), so a flag is added in one place.

import type { ModelSource } from '../../src/lib/engine/train/index';
import type { RunConfig } from '../../src/lib/shared/run/runConfig';
import type { TrainJobPayload } from '../../src/lib/shared/run/runRecord';

/** A saved model's directory when the run starts from one, else the built-in preset by name. */
export function modelSourceOf(job: Pick<TrainJobPayload, 'modelDir'>, config: Pick<RunConfig, 'model'>): ModelSource {
	// The server resolves a saved model's id to modelDir before queueing; any other name is a preset.
	return job.modelDir ? { checkpoint: job.modelDir } : (config.model as ModelSource);
}
