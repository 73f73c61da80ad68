// Turns a freshly built model into what a run trains: picks the trainable tensors for the tuner,
// freezes the rest, quantises the base for QLoRA, and attaches LoRA/DoRA adapters.

import { loraWeightName } from '../checkpoint/peft';
import type { LlamaModel } from '../models/llama/model';
import type { Projection } from '../models/llama/projection';
import type { Tensor } from '../tensor/tensor';
import { loraScale, resolveTunerConfig, type ResolvedTunerConfig, type TunerConfig } from './config';
import { freezeTensor, towerTrainable } from './freeze';
import { LoraAdapter } from './lora';
import { inModule } from './modules';
import { quantizeProjection } from './quantize';

export interface TunedModel {
	model: LlamaModel;
	config: ResolvedTunerConfig;
	/** Trainable tensors by checkpoint name: HF names (full) or PEFT adapter names (lora). */
	trainable: [string, Tensor][];
	/** Projections carrying an adapter. */
	adapted: Projection[];
	/** Top-level modules trained fully beside the adapters (PEFT's modules_to_save), e.g. multi_modal_projector. */
	modulesToSave: string[];
}

function targeted(p: Projection, c: ResolvedTunerConfig): boolean {
	if (!towerTrainable(p.tag, c)) return false;
	if (c.target_modules === 'all-linear') return true;
	return c.target_modules.some((m) => p.name === m || p.name.endsWith(`.${m}`));
}

/** PEFT's name for an adapter tensor of projection p ("lora_A.weight" -> base_model.model.<p>.lora_A.weight). */
export function adapterTensorName(p: Projection, local: string): string {
	if (local === 'lora_A.weight') return loraWeightName(p.weightName, 'A');
	if (local === 'lora_B.weight') return loraWeightName(p.weightName, 'B');
	return `base_model.model.${p.name}.${local}`;
}

/** PEFT's name for a fully trained tensor saved beside the adapters (modules_to_save). */
export function savedModuleName(weightName: string): string {
	return `base_model.model.${weightName}`;
}

/**
 * Which projections get an adapter and which tensors train whole: by default those of unfrozen
 * towers matching target_modules and an unfrozen aligner; a loader passes what a saved adapter holds.
 */
export interface AdapterPlan {
	adapt(p: Projection): boolean;
	/** HF names of tensors trained fully beside the adapters. */
	full: ReadonlySet<string>;
}

/**
 * Full: every tensor of an unfrozen tower trains. LoRA: adapters on the targeted projections of the
 * unfrozen LLM and vision/audio towers, and an unfrozen aligner trained fully, as ms-swift does
 * (PEFT's modules_to_save): with freeze_vit and a fresh aligner, the aligner must learn whole. The
 * modules named in modules_to_save train whole too.
 */
export function applyTuner(model: LlamaModel, tuner: TunerConfig, seed = 42, plan?: AdapterPlan): TunedModel {
	const c = resolveTunerConfig(tuner);
	const trainable: [string, Tensor][] = [];
	const adapted: Projection[] = [];
	if (c.tuner_type === 'full') {
		for (const [name, t] of model.params) {
			if (towerTrainable(model.tags.get(name) ?? 'llm', c)) trainable.push([name, t]);
			else freezeTensor(t);
		}
		if (trainable.length === 0) throw new Error('freeze_llm, freeze_vit and freeze_aligner freeze every tower: nothing to train');
		return { model, config: c, trainable, adapted, modulesToSave: [] };
	}
	const named = c.modules_to_save;
	if (!plan) {
		for (const m of named) {
			if (![...model.params.keys()].some((name) => inModule(name, m))) throw new Error(`modules_to_save "${m}" names no module of this model${m === 'lm_head' && model.config.tie_word_embeddings ? ' (its lm_head is embed_tokens, tied)' : ''}`);
		}
	}
	const fullyTrained = plan ? (name: string) => plan.full.has(name) : (name: string) => (model.tags.get(name) === 'aligner' && !c.freeze_aligner) || named.some((m) => inModule(name, m));
	const modulesToSave: string[] = [];
	for (const [name, t] of model.params) {
		if (fullyTrained(name)) {
			trainable.push([savedModuleName(name), t]);
			modulesToSave.push(name);
		} else freezeTensor(t);
	}
	const scaling = loraScale(c);
	const chosen = plan?.adapt ?? ((p: Projection) => p.tag !== 'aligner' && targeted(p, c));
	const fullNames = new Set(modulesToSave);
	for (const p of model.projections) {
		if (!chosen(p)) continue;
		if (c.quant_bits) quantizeProjection(model, p, c.quant_bits);
		const adapter = new LoraAdapter(p, c.lora_rank, scaling, c.lora_dropout, seed, c.use_dora);
		p.adapter = adapter;
		adapted.push(p);
		for (const [local, t] of adapter.namedParameters()) trainable.push([adapterTensorName(p, local), t]);
	}
	// QLoRA quantises every frozen base projection, adapted or not (bitsandbytes replaces all Linear layers).
	if (c.quant_bits) for (const p of model.projections) if (!fullNames.has(p.weightName)) quantizeProjection(model, p, c.quant_bits);
	const towers = [!c.freeze_llm && 'the LLM', !c.freeze_vit && 'the vision/audio towers'].filter(Boolean).join(' or ');
	if (trainable.length === 0) {
		throw new Error(towers ? `target_modules ${JSON.stringify(c.target_modules)} matched no projection of ${towers}, and the aligner is frozen: nothing to train` : 'freeze_llm and freeze_vit leave LoRA no tower to adapt and the aligner is frozen: nothing to train');
	}
	// Some tower was left open for LoRA but nothing in it matched: a typo in target_modules, most likely.
	if (adapted.length === 0 && plan === undefined && towers) throw new Error(`target_modules ${JSON.stringify(c.target_modules)} matched no projection of ${towers}`);
	return { model, config: c, trainable, adapted, modulesToSave: [...new Set(modulesToSave.map((name) => named.find((m) => inModule(name, m)) ?? topModule(name)))] };
}

/** "multi_modal_projector.image.linear_1.weight" -> "multi_modal_projector": PEFT names whole modules. */
function topModule(name: string): string {
	return name.split('.')[0];
}

export function trainableCount(t: TunedModel): number {
	return t.trainable.reduce((s, [, x]) => s + x.size, 0);
}
