import { describe, expect, it } from 'vitest';
import { formatInvocation } from './swiftCommand';
import { swiftDeployInvocation, swiftEvalInvocation, swiftExportInvocation } from './swiftToolCommand';
import { swiftDeployRequestSchema, swiftEvalRequestSchema, swiftExportRequestSchema, swiftExportSuffix, type SwiftEvalOptions } from './swiftToolJobs';

const adapter = { path: '/data/runs/r1/checkpoint-6', format: 'adapter', basePath: 'Qwen/Qwen2.5-0.5B-Instruct' } as const;
const full = { path: '/data/models/m1', format: 'full', basePath: null } as const;
const native: SwiftEvalOptions = { backend: 'Native', datasets: ['gsm8k'], limit: null };
const out = '/data/evals/e1/swift';

describe('swift eval invocation', () => {
	it('a full model on the Native backend, every sample', () => {
		expect(swiftEvalInvocation({ kind: 'model', model: full }, native, out, 'cpu')).toEqual({
			env: { CUDA_VISIBLE_DEVICES: '' },
			argv: ['eval', '--model', '/data/models/m1', '--eval_backend', 'Native', '--eval_dataset', 'gsm8k', '--eval_output_dir', out]
		});
	});

	it('an adapter on its base, several datasets, a limit, on a GPU slot', () => {
		const options: SwiftEvalOptions = { backend: 'Native', datasets: ['gsm8k', 'mmlu', 'arc'], limit: 10 };
		expect(swiftEvalInvocation({ kind: 'model', model: adapter }, options, out, 'cuda:1')).toEqual({
			env: { CUDA_VISIBLE_DEVICES: '1' },
			argv: ['eval', '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--adapters', '/data/runs/r1/checkpoint-6', '--eval_backend', 'Native', '--eval_dataset', 'gsm8k', 'mmlu', 'arc', '--eval_limit', '10', '--eval_output_dir', out]
		});
	});

	it('an adapter whose base is unknown leaves --model to its args.json', () => {
		expect(swiftEvalInvocation({ kind: 'model', model: { ...adapter, basePath: null } }, native, out, 'cpu').argv.slice(0, 3)).toEqual(['eval', '--adapters', '/data/runs/r1/checkpoint-6']);
	});

	it.each(['OpenCompass', 'VLMEvalKit'] as const)('the %s backend', (backend) => {
		const argv = swiftEvalInvocation({ kind: 'model', model: full }, { backend, datasets: ['ARC_c'], limit: 5 }, out, 'cpu').argv;
		expect(argv).toEqual(['eval', '--model', '/data/models/m1', '--eval_backend', backend, '--eval_dataset', 'ARC_c', '--eval_limit', '5', '--eval_output_dir', out]);
	});

	it('an OpenAI-compatible endpoint: --eval_url and --api_key, no GPU of its own, the key hidden when printed', () => {
		const target = { kind: 'endpoint', url: 'http://127.0.0.1:8000/v1', servedModel: 'qwen-chat', apiKey: 'sk-secret' } as const;
		const invocation = swiftEvalInvocation(target, native, out, 'cuda:0');
		expect(invocation).toEqual({
			env: {},
			argv: ['eval', '--model', 'qwen-chat', '--eval_url', 'http://127.0.0.1:8000/v1', '--api_key', 'sk-secret', '--eval_backend', 'Native', '--eval_dataset', 'gsm8k', '--eval_output_dir', out]
		});
		expect(formatInvocation(invocation)).not.toContain('sk-secret');
		expect(formatInvocation(invocation)).toContain("--api_key '<hidden>'");
		expect(swiftEvalInvocation({ ...target, apiKey: null }, native, out, 'cpu').argv).not.toContain('--api_key');
	});

	it('dataset names are identifiers: a flag, a path or a hub id is refused', () => {
		const request = (eval_dataset: string[]) => swiftEvalRequestSchema.safeParse({ engine: 'swift', model: 'm', eval_dataset });
		expect(request(['gsm8k', 'mmlu', 'MMBench_DEV_EN']).success).toBe(true);
		for (const bad of ['--model', '../etc', 'org/name', 'a b', '', '9lives']) expect(request([bad]).success, bad).toBe(false);
		expect(request([]).success).toBe(false);
		expect(swiftEvalRequestSchema.parse({ engine: 'swift', model: 'm', eval_dataset: ['arc'] })).toMatchObject({ eval_backend: 'Native', eval_limit: null });
	});
});

describe('swift export invocation', () => {
	const none = { mergeLora: true, quant: null, calibrationPath: null };
	const out = '/data/models/m2';

	it('merges an adapter into its base', () => {
		expect(swiftExportInvocation(adapter, none, out, 'cpu')).toEqual({
			env: { CUDA_VISIBLE_DEVICES: '' },
			argv: ['export', '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--adapters', '/data/runs/r1/checkpoint-6', '--merge_lora', 'true', '--output_dir', out]
		});
	});

	it('merges and quantises an adapter with AWQ, calibrating on a console dataset, on a GPU', () => {
		const options = { mergeLora: true, quant: { method: 'awq', bits: 4 }, calibrationPath: '/data/datasets/ds1/data.jsonl' } as const;
		expect(swiftExportInvocation(adapter, options, out, 'cuda:0')).toEqual({
			env: { CUDA_VISIBLE_DEVICES: '0' },
			argv: ['export', '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--adapters', '/data/runs/r1/checkpoint-6', '--merge_lora', 'true', '--quant_method', 'awq', '--quant_bits', '4', '--dataset', '/data/datasets/ds1/data.jsonl', '--output_dir', out]
		});
	});

	it.each([
		['gptq', 8, '/c.jsonl'],
		['bnb', 4, null],
		['fp8', 8, null]
	] as const)('quantises a full model with %s to %i bits', (method, bits, calibrationPath) => {
		const argv = swiftExportInvocation(full, { mergeLora: false, quant: { method, bits }, calibrationPath }, out, 'cpu').argv;
		expect(argv).toEqual(['export', '--model', '/data/models/m1', '--quant_method', method, '--quant_bits', String(bits), ...(calibrationPath ? ['--dataset', calibrationPath] : []), '--output_dir', out]);
	});

	it('a full model is never given --merge_lora', () => {
		expect(swiftExportInvocation(full, { ...none, quant: { method: 'bnb', bits: 8 } }, out, 'cpu').argv).not.toContain('--merge_lora');
	});

	it('names an export as ms-swift names its folder', () => {
		expect(swiftExportSuffix(none)).toBe('merged');
		expect(swiftExportSuffix({ mergeLora: true, quant: { method: 'awq', bits: 4 } })).toBe('awq-int4');
	});

	it('checks the bit width per method and asks AWQ / GPTQ for calibration rows', () => {
		const parse = (body: object) => swiftExportRequestSchema.safeParse(body);
		expect(parse({}).success).toBe(true);
		expect(parse({ quant_method: 'awq', quant_bits: 4, calibration_dataset: 'ds1' }).success).toBe(true);
		expect(parse({ quant_method: 'awq', quant_bits: 8, calibration_dataset: 'ds1' }).error?.issues[0]).toMatchObject({ path: ['quant_bits'], message: 'awq quantises to 4 bits' });
		expect(parse({ quant_method: 'gptq', quant_bits: 4 }).error?.issues[0].path).toEqual(['calibration_dataset']);
		expect(parse({ quant_method: 'bnb', quant_bits: 4 }).success).toBe(true);
		expect(parse({ quant_bits: 4 }).error?.issues[0].path).toEqual(['quant_bits']);
		expect(parse({ quant_method: 'int3', quant_bits: 3 }).success).toBe(false);
		expect(parse({ output_dir: '/tmp/x' }).success).toBe(false);
	});
});

describe('swift deploy invocation', () => {
	it('serves an adapter on its base on this machine only, with the transformers backend by default', () => {
		expect(swiftDeployInvocation(adapter, { inferBackend: 'transformers', servedModelName: 'tuned-ckpt-6' }, 41234, 'cuda:2')).toEqual({
			env: { CUDA_VISIBLE_DEVICES: '2' },
			argv: ['deploy', '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--adapters', '/data/runs/r1/checkpoint-6', '--host', '127.0.0.1', '--port', '41234', '--served_model_name', 'tuned-ckpt-6']
		});
	});

	it.each(['vllm', 'sglang', 'lmdeploy'] as const)('a full model with the %s backend, on the CPU slot', (inferBackend) => {
		expect(swiftDeployInvocation(full, { inferBackend, servedModelName: 'm1' }, 8000, 'cpu')).toEqual({
			env: { CUDA_VISIBLE_DEVICES: '' },
			argv: ['deploy', '--model', '/data/models/m1', '--host', '127.0.0.1', '--port', '8000', '--infer_backend', inferBackend, '--served_model_name', 'm1']
		});
	});

	it('takes only a known backend, and nothing the server decides (port, host)', () => {
		expect(swiftDeployRequestSchema.parse({})).toEqual({ infer_backend: 'transformers' });
		expect(swiftDeployRequestSchema.safeParse({ infer_backend: 'pt' }).success).toBe(false);
		expect(swiftDeployRequestSchema.safeParse({ port: 80 }).success).toBe(false);
		expect(swiftDeployRequestSchema.safeParse({ host: '0.0.0.0' }).success).toBe(false);
	});
});
