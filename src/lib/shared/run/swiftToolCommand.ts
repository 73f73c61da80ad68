import { visibleDevices, type SwiftInvocation } from './swiftCommand';
import type { SwiftDeployOptions, SwiftEvalOptions, SwiftEvalTarget, SwiftExportOptions, SwiftSavedModel } from './swiftToolJobs';

/**
 * The builders of `swift eval`, `swift export` and `swift deploy`, beside the training builder (./swiftCommand.ts) and
 * in its shape: the environment and the argument vector a device worker spawns. The slot's GPU becomes
 * CUDA_VISIBLE_DEVICES exactly as for a run; the CPU slot hides every GPU.
 */

function slotEnv(device: string): Record<string, string> {
	const visible = visibleDevices(device, 1);
	return visible === null ? {} : { CUDA_VISIBLE_DEVICES: visible };
}

/** `--model` (and `--adapters`) for a registry model: a full model's folder, or an adapter on its base. */
function modelArgs(model: SwiftSavedModel): string[] {
	if (model.format === 'full') return ['--model', model.path];
	// Without a known base, ms-swift reads it from the adapter's own args.json.
	return [...(model.basePath ? ['--model', model.basePath] : []), '--adapters', model.path];
}

/**
 * `swift eval` on a saved model (ms-swift deploys it itself) or on an OpenAI-compatible endpoint
 * (`--eval_url`, and `--model` the name the endpoint serves). Results land under `outputDir`.
 */
export function swiftEvalInvocation(target: SwiftEvalTarget, options: SwiftEvalOptions, outputDir: string, device: string): SwiftInvocation {
	const argv = ['eval'];
	if (target.kind === 'model') argv.push(...modelArgs(target.model));
	else {
		argv.push('--model', target.servedModel, '--eval_url', target.url);
		if (target.apiKey) argv.push('--api_key', target.apiKey);
	}
	// The backend is always written: it decides the layout of what the console reads back.
	argv.push('--eval_backend', options.backend, '--eval_dataset', ...options.datasets);
	if (options.limit !== null) argv.push('--eval_limit', String(options.limit));
	argv.push('--eval_output_dir', outputDir);
	return { env: target.kind === 'model' ? slotEnv(device) : {}, argv };
}

/**
 * `swift export` of a registry model into `outputDir`: an adapter merged into its base (`--merge_lora`),
 * and/or quantised (`--quant_method`, `--quant_bits`, with `--dataset` calibration rows for AWQ / GPTQ).
 */
export function swiftExportInvocation(source: SwiftSavedModel, options: SwiftExportOptions, outputDir: string, device: string): SwiftInvocation {
	const argv = ['export', ...modelArgs(source)];
	if (source.format === 'adapter' && options.mergeLora) argv.push('--merge_lora', 'true');
	if (options.quant) {
		argv.push('--quant_method', options.quant.method, '--quant_bits', String(options.quant.bits));
		if (options.calibrationPath) argv.push('--dataset', options.calibrationPath);
	}
	argv.push('--output_dir', outputDir);
	return { env: slotEnv(device), argv };
}

/**
 * `swift deploy` of a registry model: an OpenAI-compatible server on `127.0.0.1:<port>` (only this machine
 * reaches it; the console is what others talk to), answering to `servedModelName`.
 */
export function swiftDeployInvocation(source: SwiftSavedModel, options: Pick<SwiftDeployOptions, 'inferBackend' | 'servedModelName'>, port: number, device: string): SwiftInvocation {
	const argv = ['deploy', ...modelArgs(source), '--host', '127.0.0.1', '--port', String(port)];
	// transformers is ms-swift's default backend.
	if (options.inferBackend !== 'transformers') argv.push('--infer_backend', options.inferBackend);
	argv.push('--served_model_name', options.servedModelName);
	return { env: slotEnv(device), argv };
}
