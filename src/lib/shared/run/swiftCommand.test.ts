import { describe, expect, it } from 'vitest';
import { runConfigSchema, type RunConfigInput } from './runConfig';
import { formatInvocation, swiftCommand, swiftInvocation, trainScript } from './swiftCommand';

const paths = { datasetPath: '/data/datasets/ds1/data.jsonl', outputDir: '/data/runs/r1' };
/** A swift run with ms-swift's own defaults where the console's differ, so only the flags under test remain. */
const plain: RunConfigInput = {
	name: 'r',
	engine: 'swift',
	model: 'Qwen/Qwen2.5-0.5B-Instruct',
	dataset: 'ds1',
	split_dataset_ratio: 0,
	max_length: 2048,
	freeze_aligner: true,
	num_train_epochs: 3,
	per_device_train_batch_size: 1,
	learning_rate: 1e-4,
	warmup_ratio: 0,
	logging_steps: 1,
	eval_steps: 500,
	save_steps: 500,
	save_total_limit: null
};
const head = ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--dataset', '/data/datasets/ds1/data.jsonl'];
const always = ['--learning_rate', '0.0001', '--logging_steps', '1', '--eval_steps', '500', '--save_steps', '500'];
const tail = ['--add_version', 'false', '--output_dir', '/data/runs/r1'];

function invoke(overrides: RunConfigInput | Partial<RunConfigInput>, device?: string) {
	return swiftInvocation(runConfigSchema.parse({ ...plain, ...overrides }), paths, device);
}

describe('swift invocation per tuner', () => {
	it('LoRA with ms-swift defaults is the bare command', () => {
		expect(invoke({})).toEqual({ env: {}, argv: ['sft', ...head, '--max_length', '2048', ...always, ...tail] });
	});

	it('the max_length default of the console is written; ms-swift has none', () => {
		expect(invoke({ max_length: 512 }).argv).toContain('512');
	});

	it.each([
		['lora rank and modules', { lora_rank: 64, lora_alpha: 128, target_modules: ['q_proj', 'v_proj'] }, ['--lora_rank', '64', '--lora_alpha', '128', '--target_modules', 'q_proj', 'v_proj']],
		['full', { tuner_type: 'full', learning_rate: 1e-5, lora_rank: 64 }, ['--tuner_type', 'full']],
		['dora', { use_dora: true }, ['--use_dora', 'true']],
		['rslora', { use_rslora: true }, ['--use_rslora', 'true']],
		['qlora 4-bit', { quant_bits: 4 }, ['--quant_method', 'bnb', '--quant_bits', '4']],
		['int8 lora', { quant_bits: 8 }, ['--quant_method', 'bnb', '--quant_bits', '8']],
		['freeze flags', { freeze_llm: true, freeze_vit: false, freeze_aligner: false }, ['--freeze_llm', 'true', '--freeze_vit', 'false', '--freeze_aligner', 'false']]
	] as const)('%s', (_name, overrides, flags) => {
		const { env, argv } = invoke(overrides as Partial<RunConfigInput>);
		expect(env).toEqual({});
		const lr = !('learning_rate' in overrides) ? always : ['--learning_rate', '0.00001', ...always.slice(2)];
		const expected = ['sft', ...head, '--max_length', '2048'];
		// Flags come in the field table's order: tuner flags sit between max_length and the optimisation flags.
		expect(argv).toEqual([...expected, ...flags, ...lr, ...tail]);
	});
});

describe('swift invocation for preference training', () => {
	it.each(['dpo', 'orpo', 'simpo', 'kto', 'cpo'] as const)('%s runs swift rlhf with its type first', (rlhf_type) => {
		expect(invoke({ rlhf_type }).argv).toEqual(['rlhf', '--rlhf_type', rlhf_type, ...head, '--max_length', '2048', ...always, ...tail]);
	});

	it('beta is written when it differs from 0.1', () => {
		expect(invoke({ rlhf_type: 'dpo', beta: 0.3 }).argv).toEqual(['rlhf', '--rlhf_type', 'dpo', ...head, '--max_length', '2048', '--beta', '0.3', ...always, ...tail]);
	});

	it('KTO and CPO are ms-swift losses: the built-in engine refuses them', () => {
		const parsed = runConfigSchema.safeParse({ ...plain, engine: 'builtin', model: 'nano', rlhf_type: 'kto' });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('rlhf_type');
	});
});

describe('swift invocation devices and distribution', () => {
	it('one GPU: the slot becomes CUDA_VISIBLE_DEVICES', () => {
		expect(invoke({ device: 'cuda:3' }).env).toEqual({ CUDA_VISIBLE_DEVICES: '3' });
	});

	it('the CPU slot hides the GPUs', () => {
		expect(invoke({}, 'cpu').env).toEqual({ CUDA_VISIBLE_DEVICES: '' });
	});

	it('auto leaves the devices to the slot chosen at start', () => {
		expect(invoke({ device: 'auto' }).env).toEqual({});
		expect(invoke({ device: 'auto' }, 'cuda:1').env).toEqual({ CUDA_VISIBLE_DEVICES: '1' });
	});

	it('several GPUs per node count from the slot and set NPROC_PER_NODE', () => {
		expect(invoke({ device: 'cuda:2', nproc_per_node: 4 })).toEqual({ env: { CUDA_VISIBLE_DEVICES: '2,3,4,5', NPROC_PER_NODE: '4' }, argv: ['sft', ...head, '--max_length', '2048', ...always, ...tail] });
	});

	it('several nodes: NNODES, NODE_RANK, MASTER_ADDR and MASTER_PORT, with DeepSpeed', () => {
		const { env, argv } = invoke({ device: 'cuda:0', nproc_per_node: 8, nnodes: 2, node_rank: 1, master_addr: '10.0.0.1', master_port: 29501, deepspeed: 'zero3' });
		expect(env).toEqual({ CUDA_VISIBLE_DEVICES: '0,1,2,3,4,5,6,7', NPROC_PER_NODE: '8', NNODES: '2', NODE_RANK: '1', MASTER_ADDR: '10.0.0.1', MASTER_PORT: '29501' });
		expect(argv).toEqual(['sft', ...head, '--max_length', '2048', ...always, '--deepspeed', 'zero3', ...tail]);
	});

	it('deepspeed alone on one GPU', () => {
		expect(invoke({ device: 'cuda:0', deepspeed: 'zero2' })).toEqual({ env: { CUDA_VISIBLE_DEVICES: '0' }, argv: ['sft', ...head, '--max_length', '2048', ...always, '--deepspeed', 'zero2', ...tail] });
	});

	it('refuses what cannot run: several nodes without node 0, a rank past the nodes, several GPUs on no GPU, distribution on the built-in engine', () => {
		const issues = (input: RunConfigInput) => {
			const parsed = runConfigSchema.safeParse({ ...plain, ...input });
			return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
		};
		expect(issues({ ...plain, nnodes: 2 })).toEqual(['master_addr']);
		expect(issues({ ...plain, nnodes: 2, node_rank: 2, master_addr: 'node0' })).toEqual(['node_rank']);
		expect(issues({ ...plain, nproc_per_node: 2, device: 'cpu' })).toEqual(['nproc_per_node']);
		expect(issues({ ...plain, engine: 'builtin', model: 'nano', nproc_per_node: 2, deepspeed: 'zero2' })).toEqual(['nproc_per_node', 'deepspeed']);
		expect(issues({ ...plain, master_addr: 'a;rm -rf /' })).toEqual(['master_addr']);
	});
});

describe('saved models and resume', () => {
	it('an adapter trains on its base; a resumed run names its checkpoint', () => {
		const config = runConfigSchema.parse(plain);
		const { argv } = swiftInvocation(config, { ...paths, savedModel: { path: '/data/runs/r0/checkpoint-10', format: 'adapter', basePath: 'Qwen/Qwen2.5-0.5B-Instruct' }, resume: { checkpoint: '/data/runs/r1/checkpoint-20', onlyModel: false } });
		expect(argv.slice(0, 5)).toEqual(['sft', '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--adapters', '/data/runs/r0/checkpoint-10']);
		expect(argv.slice(-6)).toEqual(['--resume_from_checkpoint', '/data/runs/r1/checkpoint-20', ...tail]);
	});
});

describe('the preview is the invocation', () => {
	it('prints the environment, then one flag per line, quoting what a shell would split', () => {
		const config = runConfigSchema.parse({ ...plain, rlhf_type: 'dpo', device: 'cuda:0', nproc_per_node: 2, target_modules: ['q_proj', 'v_proj'] });
		const oddPaths = { ...paths, datasetPath: "/data/my set/it's.jsonl" };
		expect(swiftCommand(config, oddPaths)).toBe(
			[
				'CUDA_VISIBLE_DEVICES=0,1 NPROC_PER_NODE=2 swift rlhf --rlhf_type dpo',
				'--model Qwen/Qwen2.5-0.5B-Instruct',
				`--dataset '/data/my set/it'"'"'s.jsonl'`,
				'--max_length 2048',
				'--target_modules q_proj v_proj',
				'--learning_rate 0.0001',
				'--logging_steps 1',
				'--eval_steps 500',
				'--save_steps 500',
				'--add_version false',
				'--output_dir /data/runs/r1'
			].join(' \\\n  ')
		);
		expect(trainScript(config, oddPaths)).toBe(`#!/usr/bin/env bash\n# r: generated by SwiftBoard from the run's configuration\nset -euo pipefail\n${swiftCommand(config, oddPaths)}\n`);
		expect(formatInvocation({ env: { CUDA_VISIBLE_DEVICES: '' }, argv: ['sft', '--model', 'm'] })).toBe("CUDA_VISIBLE_DEVICES='' swift sft \\\n  --model m");
	});
});
