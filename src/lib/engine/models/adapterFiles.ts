// A PEFT adapter folder (adapter_config.json + adapter_model.safetensors) over a base model folder:
// what its tensors may be, and how it goes back onto a loaded base. Besides LoRA/DoRA pairs an
// adapter of a multimodal model holds the tensors it trained fully (modules_to_save, e.g. the
// aligner), under PEFT's `base_model.model.<name>`.

import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { readJsonObject } from '../checkpoint/jsonFile';
import { ADAPTER_WEIGHTS_FILE, parseLoraWeightName, type PeftLoraConfig } from '../checkpoint/peft';
import { ARGS_FILE } from '../train/state';
import { applyTuner, type TunedModel } from '../tuners/apply';
import { inModule } from '../tuners/modules';
import type { LlamaModel } from './llama/model';
import type { ParamSpec } from './multimodal/paramShapes';

const PEFT_PREFIX = 'base_model.model.';
const MAGNITUDE = /^base_model\.model\.(.+)\.lora_magnitude_vector\.weight$/;

export type AdapterTensor =
	| { kind: 'lora'; projection: string; part: 'A' | 'B' | 'magnitude' }
	| { kind: 'module'; name: string };

/** What an adapter tensor name stands for; undefined for a name PEFT would not write. */
export function parseAdapterTensor(name: string): AdapterTensor | undefined {
	const lora = parseLoraWeightName(name);
	if (lora) return { kind: 'lora', projection: lora.baseWeightName, part: lora.part };
	const m = MAGNITUDE.exec(name);
	if (m) return { kind: 'lora', projection: `${m[1]}.weight`, part: 'magnitude' };
	if (name.startsWith(PEFT_PREFIX)) return { kind: 'module', name: name.slice(PEFT_PREFIX.length) };
	return undefined;
}

/** The base folder an adapter names, resolved against the adapter's own folder when relative. */
export function adapterBaseDir(adapterDir: string, config: PeftLoraConfig): string {
	const base = config.base_model_name_or_path;
	if (typeof base !== 'string' || base === '') throw new Error('adapter_config.json: missing field base_model_name_or_path');
	return isAbsolute(base) ? base : resolve(adapterDir, base);
}

function targets(config: PeftLoraConfig, projection: string): boolean {
	const t = config.target_modules;
	if (t === 'all-linear' || t === 'all') return true;
	const list = typeof t === 'string' ? [t] : t;
	const module = projection.slice(0, -'.weight'.length);
	return list.some((m) => module === m || module.endsWith(`.${m}`));
}

/**
 * Checks every tensor of an adapter against the base's parameters: LoRA pairs only on projections
 * target_modules names, with rank r (and a magnitude exactly when use_dora), whole tensors only of
 * modules in modules_to_save with the base's shape. Returns the adapter's parameter count.
 */
export function validateAdapterTensors(config: PeftLoraConfig, specs: readonly ParamSpec[], tensors: ReadonlyMap<string, readonly number[]>): number {
	const file = ADAPTER_WEIGHTS_FILE;
	const byName = new Map(specs.map((s) => [s.name, s]));
	const saved = new Set(config.modules_to_save ?? []);
	const parts = new Map<string, Set<string>>();
	let count = 0;
	const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
	for (const [name, shape] of tensors) {
		const t = parseAdapterTensor(name);
		const spec = t && byName.get(t.kind === 'lora' ? t.projection : t.name);
		if (!t || !spec) throw new Error(`${file}: unknown tensor ${name}`);
		let expected: number[];
		if (t.kind === 'module') {
			if (![...saved].some((m) => inModule(t.name, m))) throw new Error(`${file}: tensor ${name} is not in modules_to_save ${JSON.stringify([...saved])}`);
			expected = spec.shape;
		} else {
			if (!spec.projection) throw new Error(`${file}: tensor ${name} adapts ${t.projection}, which is not a linear projection`);
			if (!targets(config, t.projection)) throw new Error(`${file}: tensor ${name} adapts ${t.projection}, which target_modules ${JSON.stringify(config.target_modules)} does not name`);
			if (t.part === 'magnitude' && !config.use_dora) throw new Error(`${file}: tensor ${name} is a DoRA magnitude but use_dora is false`);
			const [out, inF] = spec.shape;
			expected = t.part === 'A' ? [config.r, inF] : t.part === 'B' ? [out, config.r] : [out];
			const seen = parts.get(t.projection) ?? new Set<string>();
			seen.add(t.part);
			parts.set(t.projection, seen);
		}
		if (!same(shape, expected)) throw new Error(`${file}: tensor ${name} has shape [${shape.join(',')}], expected [${expected.join(',')}]`);
		count += shape.reduce((a, b) => a * b, 1);
	}
	for (const [projection, seen] of parts) {
		for (const part of config.use_dora ? ['A', 'B', 'magnitude'] : ['A', 'B']) {
			if (!seen.has(part)) throw new Error(`${file}: ${projection} has no ${part === 'magnitude' ? 'lora_magnitude_vector' : `lora_${part}`} tensor`);
		}
	}
	if (tensors.size === 0) throw new Error(`${file}: holds no tensor`);
	return count;
}

/** quant_bits of the run that wrote this adapter (its args.json), if it trained on a quantised base. */
export async function trainedQuantBits(dir: string): Promise<4 | 8 | undefined> {
	if (!existsSync(join(dir, ARGS_FILE))) return undefined;
	const args = await readJsonObject(join(dir, ARGS_FILE));
	const bits = (args.tuner as { quant_bits?: unknown } | undefined)?.quant_bits;
	return bits === 4 || bits === 8 ? bits : undefined;
}

/**
 * Puts a validated adapter's tensors onto a loaded base: adapters on exactly the projections it
 * holds pairs for (quantised like the run's base when it trained QLoRA), whole tensors copied in.
 */
export function attachAdapter(llm: LlamaModel, config: PeftLoraConfig, get: (name: string) => Float32Array, names: readonly string[], quantBits?: 4 | 8): TunedModel {
	const adapted = new Set<string>();
	const full = new Set<string>();
	for (const n of names) {
		const t = parseAdapterTensor(n);
		if (t?.kind === 'lora') adapted.add(t.projection);
		else if (t?.kind === 'module') full.add(t.name);
	}
	const tuned = applyTuner(llm, {
		tuner_type: 'lora', lora_rank: config.r, lora_alpha: config.lora_alpha, lora_dropout: config.lora_dropout,
		use_dora: config.use_dora, use_rslora: config.use_rslora, quant_bits: quantBits, modules_to_save: config.modules_to_save ?? []
	}, 42, { adapt: (p) => adapted.has(p.weightName), full });
	for (const [name, t] of tuned.trainable) t.set(get(name));
	return tuned;
}
