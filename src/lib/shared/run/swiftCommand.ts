import type { RunConfig } from './runConfig';
import { envFields, flagFields, runFields, type EnvField } from './runFields';
import { gpuSlots } from './runDevice';

/**
 * The one builder of an ms-swift training command. `swiftInvocation` gives the environment and the
 * argument vector a device worker spawns; the Train page's preview, the run page's resume command and
 * the downloadable train.sh are all printed from that same invocation, so what is shown is what runs.
 */

/** Flags that only mean something for one kind of run. */
const relevant: Partial<Record<keyof RunConfig, (config: RunConfig) => boolean>> = {
	beta: (c) => c.rlhf_type !== 'none',
	lora_rank: (c) => c.tuner_type === 'lora',
	lora_alpha: (c) => c.tuner_type === 'lora',
	lora_dropout: (c) => c.tuner_type === 'lora',
	target_modules: (c) => c.tuner_type === 'lora',
	modules_to_save: (c) => c.tuner_type === 'lora',
	use_rslora: (c) => c.tuner_type === 'lora',
	use_dora: (c) => c.tuner_type === 'lora',
	split_dataset_ratio: (c) => c.val_dataset === null,
	num_train_epochs: (c) => c.max_steps < 0
};

export interface CommandPaths {
	datasetPath: string;
	valDatasetPath?: string | null;
	outputDir: string;
	/**
	 * Where a saved model lives when the run's `model` names one: a full (merged, imported) model
	 * trains from its folder; an adapter checkpoint loads onto its base (`--model <base> --adapters <ckpt>`).
	 */
	savedModel?: { path: string; format: 'full' | 'adapter'; basePath: string | null } | null;
	/**
	 * A resumed run: `--resume_from_checkpoint`; `onlyModel` when the checkpoint's optimizer and
	 * scheduler state should not be restored (ms-swift's `--resume_only_model`).
	 */
	resume?: { checkpoint: string; onlyModel: boolean } | null;
}

/** What a device worker runs: `swift <argv...>` with `env` added to its own environment. */
export interface SwiftInvocation {
	/** Variables ms-swift's launcher reads, in the order the preview prints them. */
	env: Record<string, string>;
	/** The arguments after the `swift` executable, starting with the subcommand. */
	argv: string[];
}

/** One line of the preview: a flag and its values (a list flag such as --target_modules has several). */
type FlagLine = [flag: string, ...values: string[]];

function flagValues(value: unknown): string[] {
	return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** `--model` (and `--adapters`) for the run's model: a preset or hub id, or a saved model's folder. */
function modelFlags(config: RunConfig, saved: CommandPaths['savedModel']): FlagLine[] {
	if (!saved) return [['--model', config.model]];
	if (saved.format === 'full') return [['--model', saved.path]];
	return [
		['--model', saved.basePath ?? config.model],
		['--adapters', saved.path]
	];
}

function subcommand(config: RunConfig): string[] {
	return config.rlhf_type === 'none' ? ['sft'] : ['rlhf', '--rlhf_type', config.rlhf_type];
}

function flagLines(config: RunConfig, paths: CommandPaths): FlagLine[] {
	const lines: FlagLine[] = [...modelFlags(config, paths.savedModel), ['--dataset', paths.datasetPath]];
	if (paths.valDatasetPath) lines.push(['--val_dataset', paths.valDatasetPath]);
	// ms-swift's defaults come from the field table: a flag is written only when the run's value differs,
	// as `swift web-ui` does, so the command stays short and still reproduces the run.
	for (const key of flagFields) {
		if (key === 'model' || key === 'dataset' || key === 'val_dataset' || key === 'rlhf_type') continue;
		if (relevant[key] && !relevant[key](config)) continue;
		const value = config[key];
		const field = runFields[key];
		if ('swiftDefault' in field && JSON.stringify(field.swiftDefault) === JSON.stringify(value)) continue;
		if (value === null) continue;
		// ms-swift quantises the base with bitsandbytes for QLoRA / int8 LoRA; --quant_bits alone loads nothing quantised.
		if (key === 'quant_bits') lines.push(['--quant_method', 'bnb']);
		lines.push([`--${key}`, ...flagValues(value)]);
	}
	if (paths.resume) {
		lines.push(['--resume_from_checkpoint', paths.resume.checkpoint]);
		if (paths.resume.onlyModel) lines.push(['--resume_only_model', 'true']);
	}
	// The output folder is used as given (no `v0-<timestamp>/` inside it), so checkpoints land where the console looks.
	lines.push(['--add_version', 'false'], ['--output_dir', paths.outputDir]);
	return lines;
}

/** CUDA_VISIBLE_DEVICES for the slot a run computes on: its GPU and, for several per node, the ones after it. */
export function visibleDevices(device: string, processes: number): string | null {
	if (device.startsWith('cuda:')) return gpuSlots(device, processes).map((slot) => slot.slice('cuda:'.length)).join(',');
	// The CPU slot hides every GPU, so a run placed there never computes on a GPU another slot owns.
	if (device === 'cpu') return '';
	return null;
}

function launcherValue(config: RunConfig, key: EnvField): string | null {
	const value = config[key];
	if (value === null) return null;
	if (key === 'nproc_per_node' && value === 1) return null;
	if (key === 'nnodes' || key === 'node_rank') return config.nnodes > 1 ? String(value) : null;
	return String(value);
}

/**
 * The environment and arguments of `swift sft` / `swift rlhf` for a run. `device` is the slot the run
 * computes on (a worker passes the slot it was given; the preview passes the configured one, where
 * `auto` leaves CUDA_VISIBLE_DEVICES to the slot chosen at start).
 */
export function swiftInvocation(config: RunConfig, paths: CommandPaths, device: string = config.device): SwiftInvocation {
	const env: Record<string, string> = {};
	const visible = visibleDevices(device, config.nproc_per_node);
	if (visible !== null) env.CUDA_VISIBLE_DEVICES = visible;
	for (const key of envFields) {
		const value = launcherValue(config, key);
		if (value !== null) env[runFields[key].env] = value;
	}
	return { env, argv: [...subcommand(config), ...flagLines(config, paths).flat()] };
}

export function quote(value: string): string {
	return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** Flags whose value is a secret. */
const secretFlags = new Set(['--api_key']);

/** The shell line of an invocation, one flag per line, as `swift web-ui` shows it. */
export function formatInvocation(invocation: SwiftInvocation): string {
	const env = Object.entries(invocation.env).map(([key, value]) => `${key}=${quote(value)} `);
	const lines: string[][] = [[]];
	// A secret (an endpoint's key) is never printed: the preview, logs and scripts show a placeholder.
	const shown = invocation.argv.map((word, i) => (secretFlags.has(invocation.argv[i - 1]) ? '<hidden>' : word));
	for (const word of shown) {
		if (word.startsWith('--') && lines.at(-1)!.length > 0 && !(lines.length === 1 && word === '--rlhf_type')) lines.push([]);
		lines.at(-1)!.push(word);
	}
	const [first, ...rest] = lines.map((words) => words.map(quote).join(' '));
	return [`${env.join('')}swift ${first}`, ...rest].join(' \\\n  ');
}

/** The `swift sft ...` / `swift rlhf ...` command equivalent to a run, one flag per line. */
export function swiftCommand(config: RunConfig, paths: CommandPaths, device?: string): string {
	return formatInvocation(swiftInvocation(config, paths, device));
}

/** The same command as a runnable script, as swift web-ui saves it. */
export function trainScript(config: RunConfig, paths: CommandPaths, device?: string): string {
	return `#!/usr/bin/env bash\n# ${config.name}: generated by SwiftBoard from the run's configuration\nset -euo pipefail\n${swiftCommand(config, paths, device)}\n`;
}
