// The tuner part of a run config, with ms-swift's flag names and CLI defaults.

export type TunerType = 'full' | 'lora';

export interface TunerConfig {
	/** ms-swift `--tuner_type` (v3: `--train_type`). */
	tuner_type: TunerType;
	lora_rank?: number;
	lora_alpha?: number;
	lora_dropout?: number;
	/** Module name suffixes ("q_proj", ...) or "all-linear" (every projection, lm_head excluded, as PEFT). */
	target_modules?: string[] | 'all-linear';
	use_rslora?: boolean;
	use_dora?: boolean;
	/**
	 * ms-swift `--modules_to_save`: modules trained whole beside the adapters and saved in them
	 * (PEFT's modules_to_save), e.g. lm_head when the data holds tokens the base never wrote.
	 */
	modules_to_save?: string[];
	/** QLoRA: 4 = NF4 with double-quantised block scales, 8 = int8 rows; the base stays frozen and quantised. */
	quant_bits?: 4 | 8;
	freeze_llm?: boolean;
	freeze_vit?: boolean;
	freeze_aligner?: boolean;
}

export type ResolvedTunerConfig = Required<Omit<TunerConfig, 'quant_bits'>> & { quant_bits: 4 | 8 | null };

export function resolveTunerConfig(c: TunerConfig): ResolvedTunerConfig {
	const r: ResolvedTunerConfig = {
		tuner_type: c.tuner_type,
		lora_rank: c.lora_rank ?? 8,
		lora_alpha: c.lora_alpha ?? 32,
		lora_dropout: c.lora_dropout ?? 0.05,
		target_modules: c.target_modules ?? 'all-linear',
		use_rslora: c.use_rslora ?? false,
		use_dora: c.use_dora ?? false,
		modules_to_save: c.modules_to_save ?? [],
		quant_bits: c.quant_bits ?? null,
		// ms-swift: freeze_vit defaults true, the others false.
		freeze_llm: c.freeze_llm ?? false,
		freeze_vit: c.freeze_vit ?? true,
		freeze_aligner: c.freeze_aligner ?? false
	};
	if (r.tuner_type !== 'full' && r.tuner_type !== 'lora') throw new Error(`unknown tuner_type "${String(r.tuner_type)}" (full or lora)`);
	if (!Number.isInteger(r.lora_rank) || r.lora_rank < 1) throw new Error(`lora_rank must be a positive integer, got ${r.lora_rank}`);
	if (r.lora_dropout < 0 || r.lora_dropout >= 1) throw new Error(`lora_dropout must be in [0, 1), got ${r.lora_dropout}`);
	if (r.quant_bits !== null && r.quant_bits !== 4 && r.quant_bits !== 8) throw new Error(`quant_bits must be 4 or 8, got ${String(r.quant_bits)}`);
	if (r.quant_bits !== null && r.tuner_type === 'full') throw new Error('a quantised base cannot be fully fine-tuned; use tuner_type lora');
	return r;
}

/** PEFT's factor on B A: alpha / r, or alpha / sqrt(r) with rsLoRA. */
export function loraScale(c: Pick<ResolvedTunerConfig, 'lora_rank' | 'lora_alpha' | 'use_rslora'>): number {
	return c.use_rslora ? c.lora_alpha / Math.sqrt(c.lora_rank) : c.lora_alpha / c.lora_rank;
}
