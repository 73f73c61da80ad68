import { runExport } from './export';
import { runMerge } from './merge';
import { runNoop } from './noop';
import { runTrain } from './train';
import type { JobRunner } from './types';

/** Job kinds a device worker can run. */
export const jobRunners: Record<string, JobRunner> = {
	noop: runNoop,
	train: runTrain,
	merge: runMerge,
	export: runExport
};
