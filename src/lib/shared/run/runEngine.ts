import { builtinRlhfTypes, type RunField, type RunFields } from './runFields';
import type { z } from 'zod';

type Config = { [K in RunField]: z.output<RunFields[K]['schema']> };

export interface EngineProblem {
	field: RunField;
	message: string;
}

/** Whether a preference loss is one the built-in engine implements. */
export function isBuiltinRlhfType(type: string): type is (typeof builtinRlhfTypes)[number] {
	return (builtinRlhfTypes as readonly string[]).includes(type);
}

/**
 * What the chosen engine cannot do with this configuration: the built-in engine trains on one CPU with
 * its own losses, so KTO/CPO, several processes, several nodes and DeepSpeed belong to ms-swift runs;
 * an ms-swift run spread over nodes needs to know where node 0 is.
 */
export function engineProblems(config: Config): EngineProblem[] {
	const problems: EngineProblem[] = [];
	if (config.engine === 'builtin') {
		if (config.rlhf_type !== 'none' && !isBuiltinRlhfType(config.rlhf_type)) {
			problems.push({ field: 'rlhf_type', message: `The built-in engine trains ${builtinRlhfTypes.join(', ')}; ${config.rlhf_type} needs the swift engine` });
		}
		const distributed: [RunField, boolean][] = [
			['nproc_per_node', config.nproc_per_node > 1],
			['nnodes', config.nnodes > 1],
			['deepspeed', config.deepspeed !== null]
		];
		for (const [field, set] of distributed) if (set) problems.push({ field, message: 'Distributed training runs on the swift engine: choose engine swift' });
		return problems;
	}
	if (config.nproc_per_node > 1 && !/^cuda:\d+$/.test(config.device)) {
		problems.push({ field: 'nproc_per_node', message: 'Several GPUs per node count from a GPU device: choose cuda:N as the device' });
	}
	if (config.nnodes > 1) {
		if (config.node_rank >= config.nnodes) problems.push({ field: 'node_rank', message: `Node ranks run from 0 to ${config.nnodes - 1}` });
		if (!config.master_addr) problems.push({ field: 'master_addr', message: 'Several nodes need the address of node 0' });
	}
	return problems;
}
