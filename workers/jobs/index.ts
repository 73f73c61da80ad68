import { runEval } from './eval';
import { runExport } from './export';
import { runMerge } from './merge';
import { runNoop } from './noop';
import { runSwiftTrain } from './swiftTrain';
import { runTrain } from './train';
import type { JobRunner } from './types';
import { swiftTrainJobKind } from '../../src/lib/shared/run/swiftJob';

/** Job kinds a device worker can run. */
export const jobRunners: Record<string, JobRunner> = {
	noop: runNoop,
	train: runTrain,
	[swiftTrainJobKind]: runSwiftTrain,
	merge: runMerge,
	eval: runEval,
	export: runExport
};
