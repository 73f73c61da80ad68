import { runEval } from './eval';
import { runExport } from './export';
import { runMerge } from './merge';
import { runNoop } from './noop';
import { runSwiftDeploy } from './swiftDeploy';
import { runSwiftEval } from './swiftEval';
import { runSwiftExport } from './swiftExport';
import { runSwiftTrain } from './swiftTrain';
import { runTrain } from './train';
import type { JobRunner } from './types';
import { swiftTrainJobKind } from '../../src/lib/shared/run/swiftJob';
import { swiftDeployJobKind, swiftEvalJobKind, swiftExportJobKind } from '../../src/lib/shared/run/swiftToolJobs';

/** Job kinds a device worker can run. */
export const jobRunners: Record<string, JobRunner> = {
	noop: runNoop,
	train: runTrain,
	[swiftTrainJobKind]: runSwiftTrain,
	[swiftEvalJobKind]: runSwiftEval,
	[swiftExportJobKind]: runSwiftExport,
	[swiftDeployJobKind]: runSwiftDeploy,
	merge: runMerge,
	eval: runEval,
	export: runExport
};
