// Turns a freshly built model into what a run trains: picks the trainable tensors for the tuner,
// freezes the rest, quantises the base for QLoRA, and attaches LoRA/DoRA adapters.

import { loraWeightName } from '../checkpoint/peft';
import type { LlamaModel } from '../models/llama/model';
import type { Projection } from '../models/llama/projection';
import type { ParamGroup } from '../optim/adamw';
import type { Tensor } from '../tensor/tensor';
import { loraScale, resolveTunerConfig, type ResolvedTunerConfig, type TunerConfig } from './config';
import { freezeTensor, towerTrainable } from './freeze';
import { LoraAdapter } from './lora';
import { quantizeProjection } from './quantize';

export interface TunedModel {
	model: LlamaModel;
	config: ResolvedTunerConfig;
	/** Trainable tensors by checkpoint name: HF names (full) or PEFT adapter names (lora). */
	trainable: [string, Tensor][];
	/** Projections carrying an adapter. */
	adapted: Projection[];
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

export function applyTuner(model: LlamaModel, tuner: TunerConfig, seed = 42): TunedModel {
	const c = resolveTunerConfig(tuner);
	const trainable: [string, Tensor][] = [];
	const adapted: Projection[] = [];
	if (c.tuner_type === 'full') {
		for (const [name, t] of model.params) {
			if (towerTrainable(model.tags.get(name) ?? 'llm', c)) trainable.push([name, t]);
			else freezeTensor(t);
		}
		if (trainable.length === 0) throw new Error('every tower is frozen: nothing to train');
		return { model, config: c, trainable, adapted };
	}
	for (const t of model.params.values()) freezeTensor(t);
	const scaling = loraScale(c);
	for (const p of model.projections) {
		if (!targeted(p, c)) continue;
		if (c.quant_bits) quantizeProjection(model, p, c.quant_bits);
		const adapter = new LoraAdapter(p, c.lora_rank, scaling, c.lora_dropout, seed, c.use_dora);
		p.adapter = adapter;
		adapted.push(p);
		for (const [local, t] of adapter.namedParameters()) trainable.push([adapterTensorName(p, local), t]);
	}
	// QLoRA quantises every base projection, adapted or not (bitsandbytes replaces all Linear layers).
	if (c.quant_bits) for (const p of model.projections) quantizeProjection(model, p, c.quant_bits);
	if (adapted.length === 0) throw new Error(`target_modules ${JSON.stringify(c.target_modules)} matched no projection`);
	return { model, config: c, trainable, adapted };
}

export function trainableCount(t: TunedModel): number {
	return t.trainable.reduce((s, [, x]) => s + x.size, 0);
}

/** Matrices decay; norm gains and DoRA magnitudes (1-D) do not, as in HF's Trainer. */
export function parameterGroups(t: TunedModel, weightDecay: number): ParamGroup[] {
	const decay = t.trainable.filter(([, x]) => x.shape.length > 1).map(([, x]) => x);
	const rest = t.trainable.filter(([, x]) => x.shape.length <= 1).map(([, x]) => x);
	return [
		{ name: 'decay', params: decay, weightDecay },
		{ name: 'no_decay', params: rest, weightDecay: 0 }
	].filter((g) => g.params.length > 0);
}
