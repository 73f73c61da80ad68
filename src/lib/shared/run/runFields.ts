import { z } from 'zod';
import type { MessageKey, Translate } from '../i18n/index';

/**
 * Every field of a run, one line each: the key (ms-swift's flag without its dashes), the zod type, the
 * console's default, the Train page's group, the part of the engine's trainer it feeds, and ms-swift's
 * own default where it has the flag. The run config schema, the form's labels and help (i18n keys
 * `field.<key>.label` / `field.<key>.help`), the command preview and the runner all read this table;
 * a new flag is one more line here plus its two strings in each catalog.
 */

export const tunerTypes = ['full', 'lora'] as const;
/** Preference losses the built-in engine implements; ms-swift also trains the rest of `rlhfTypes`. */
export const builtinRlhfTypes = ['dpo', 'orpo', 'simpo'] as const;
export const rlhfTypes = ['none', ...builtinRlhfTypes, 'kto', 'cpo'] as const;
/** ms-swift's bundled DeepSpeed configs (`--deepspeed zero2` names `swift/llm/ds_config/zero2.json`). */
export const deepspeedConfigs = ['zero0', 'zero1', 'zero2', 'zero2_offload', 'zero3', 'zero3_offload'] as const;
export const lrSchedulerTypes = ['cosine', 'linear', 'constant'] as const;
export const engines = ['builtin', 'swift'] as const;
export const moduleNames = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
/** Modules a LoRA run can also train whole (ms-swift's --modules_to_save): the token tables, for tokens the base never wrote or read. */
export const savableModules = ['embed_tokens', 'lm_head'] as const;

export type FieldGroup = 'model' | 'data' | 'tuner' | 'rlhf' | 'optimisation' | 'bookkeeping' | 'distributed';
/** What the field feeds: a section of the engine trainer's options, or the console itself (names, paths, devices). */
export type FieldFeeds = 'model' | 'tuner' | 'loss' | 'args' | 'console';

interface Field<S extends z.ZodType, F extends FieldFeeds, Flag extends boolean> {
	schema: S;
	/** The console's default (absent: the run must give it). */
	default: unknown;
	group: FieldGroup;
	feeds: F;
	/** Whether ms-swift has this flag (`name`, `engine` and `device` are the console's own). */
	flag: Flag;
	/** ms-swift's default: a flag whose value equals it is left out of the command. Absent: always written. */
	swiftDefault?: unknown;
	/** The environment variable ms-swift's launcher reads for this setting (torchrun's `NPROC_PER_NODE`, ...). */
	env?: string;
}

/** A field every run must give: no default. */
function required<S extends z.ZodType, F extends FieldFeeds>(type: S, group: FieldGroup, feeds: F) {
	return { schema: type, default: undefined, group, feeds, flag: true as const } satisfies Field<S, F, true>;
}

/** The console's own setting: no ms-swift flag, nothing sent to the trainer. */
function own<S extends z.ZodType>(type: S): Field<S, 'console', false>;
function own<S extends z.ZodType>(type: S, fallback: z.output<S>): Field<z.ZodDefault<S>, 'console', false>;
function own<S extends z.ZodType>(type: S, ...fallback: [z.output<S>?]): Field<z.ZodType, 'console', false> {
	const schema = fallback.length ? type.default(fallback[0] as never) : type;
	return { schema, default: fallback[0], group: 'model', feeds: 'console', flag: false };
}

/** A flag with the console's default and, unless it has none, ms-swift's. */
function flag<S extends z.ZodType, F extends FieldFeeds>(type: S, fallback: z.output<S>, group: FieldGroup, feeds: F, ...swift: [unknown?]) {
	const schema = type.default(fallback as never) as z.ZodDefault<S>;
	return { schema, default: fallback, group, feeds, flag: true as const, ...(swift.length ? { swiftDefault: swift[0] } : {}) } satisfies Field<z.ZodDefault<S>, F, true>;
}

/**
 * A setting ms-swift's launcher reads from the environment rather than a flag (`swift sft` hands
 * NPROC_PER_NODE, NNODES, NODE_RANK, MASTER_ADDR and MASTER_PORT to torchrun). Only ms-swift runs use them.
 */
function envSetting<S extends z.ZodType, E extends string>(type: S, fallback: z.output<S>, env: E) {
	const schema = type.default(fallback as never) as z.ZodDefault<S>;
	return { schema, default: fallback, group: 'distributed' as const, feeds: 'console' as const, flag: false as const, env } satisfies Field<z.ZodDefault<S>, 'console', false>;
}

const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** A host name or an IPv4/IPv6 address: it lands in an environment variable, never in a shell. */
const hostName = z.string().trim().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'A host name or IP address');

export const runFields = {
	//                         zod type                                                  console default   group           feeds      ms-swift default
	name:                        own(z.string().trim().min(1, 'Give the run a name').max(80)),
	engine:                      own(z.enum(engines),                                        'builtin'),
	model:                       required(z.string().trim().min(1, 'Choose a model'),                          'model',        'model'),
	dataset:                     required(z.string().min(1, 'Choose a dataset'),                               'data',         'console'),
	val_dataset:                 flag(z.string().nullable(),                                 null,             'data',         'console', null),
	split_dataset_ratio:         flag(z.number().min(0).max(0.5),                            0.05,             'data',         'console', 0),
	max_length:                  flag(int(8, 1_048_576),                                     512,              'data',         'args'),
	packing:                     flag(z.boolean(),                                           false,            'data',         'args',    false),
	rlhf_type:                   flag(z.enum(rlhfTypes),                                     'none',           'rlhf',         'loss',    'none'),
	beta:                        flag(z.number().positive().max(10),                         0.1,              'rlhf',         'loss',    0.1),
	tuner_type:                  flag(z.enum(tunerTypes),                                    'lora',           'tuner',        'tuner',   'lora'),
	use_dora:                    flag(z.boolean(),                                           false,            'tuner',        'tuner',   false),
	quant_bits:                  flag(z.union([z.literal(4), z.literal(8)]).nullable(),      null,             'tuner',        'tuner',   null),
	lora_rank:                   flag(int(1, 1024),                                          8,                'tuner',        'tuner',   8),
	lora_alpha:                  flag(int(1, 4096),                                          32,               'tuner',        'tuner',   32),
	lora_dropout:                flag(z.number().min(0).max(0.9),                            0.05,             'tuner',        'tuner',   0.05),
	target_modules:              flag(z.union([z.literal('all-linear'), z.array(z.enum(moduleNames)).min(1, 'Pick at least one module')]), 'all-linear', 'tuner', 'tuner', 'all-linear'),
	modules_to_save:             flag(z.array(z.enum(savableModules)),                       [],               'tuner',        'tuner',   []),
	use_rslora:                  flag(z.boolean(),                                           false,            'tuner',        'tuner',   false),
	freeze_llm:                  flag(z.boolean(),                                           false,            'tuner',        'tuner',   false),
	freeze_vit:                  flag(z.boolean(),                                           true,             'tuner',        'tuner',   true),
	freeze_aligner:              flag(z.boolean(),                                           false,            'tuner',        'tuner',   true),
	num_train_epochs:            flag(z.number().positive().max(1000),                       1,                'optimisation', 'args',    3),
	max_steps:                   flag(int(-1, 10_000_000),                                   -1,               'optimisation', 'args',    -1),
	per_device_train_batch_size: flag(int(1, 4096),                                          4,                'optimisation', 'args',    1),
	gradient_accumulation_steps: flag(int(1, 4096),                                          1,                'optimisation', 'args',    1),
	learning_rate:               flag(z.number().positive().max(1),                          1e-4,             'optimisation', 'args'),
	lr_scheduler_type:           flag(z.enum(lrSchedulerTypes),                              'cosine',         'optimisation', 'args',    'cosine'),
	warmup_ratio:                flag(z.number().min(0).max(1),                              0.05,             'optimisation', 'args',    0),
	weight_decay:                flag(z.number().min(0).max(10),                             0.1,              'optimisation', 'args',    0.1),
	max_grad_norm:               flag(z.number().positive().max(1e6),                        1,                'optimisation', 'args',    1),
	seed:                        flag(int(0, 2 ** 31 - 1),                                   42,               'optimisation', 'args',    42),
	logging_steps:               flag(int(1, 100_000),                                       1,                'bookkeeping',  'args',    5),
	eval_steps:                  flag(int(1, 1_000_000),                                     50,               'bookkeeping',  'args'),
	save_steps:                  flag(int(1, 1_000_000),                                     100,              'bookkeeping',  'args'),
	save_total_limit:            flag(int(1, 1000).nullable(),                               2,                'bookkeeping',  'args',    null),
	deepspeed:                   flag(z.enum(deepspeedConfigs).nullable(),                   null,             'distributed',  'console', null),
	nproc_per_node:              envSetting(int(1, 64),                                      1,                'NPROC_PER_NODE'),
	nnodes:                      envSetting(int(1, 4096),                                    1,                'NNODES'),
	node_rank:                   envSetting(int(0, 4095),                                    0,                'NODE_RANK'),
	master_addr:                 envSetting(hostName.nullable(),                             null,             'MASTER_ADDR'),
	master_port:                 envSetting(int(1, 65535).nullable(),                        null,             'MASTER_PORT'),
	device:                      own(z.string(),                                             'auto')
};

export type RunFields = typeof runFields;
export type RunField = keyof RunFields;
/** Fields that are ms-swift flags (everything but the console's own name, engine and device, and the launcher's environment). */
export type FlagField = { [K in RunField]: RunFields[K]['flag'] extends true ? K : never }[RunField];
/** Fields ms-swift's launcher reads from the environment. */
export type EnvField = { [K in RunField]: RunFields[K] extends { env: string } ? K : never }[RunField];
/** Fields the Train page documents with a label, help and the flag or variable they set. */
export type DocumentedField = FlagField | EnvField;
/** Fields that feed one section of the engine trainer's options. */
export type FieldsFeeding<F extends FieldFeeds> = { [K in RunField]: RunFields[K]['feeds'] extends F ? K : never }[RunField];

export const runFieldKeys = Object.keys(runFields) as RunField[];
export const flagFields = runFieldKeys.filter((key): key is FlagField => runFields[key].flag);
export const envFields = runFieldKeys.filter((key): key is EnvField => 'env' in runFields[key]);

export interface RunFieldDoc {
	/** The CLI flag as ms-swift spells it, or the environment variable its launcher reads. */
	flag: string;
	label: string;
	help: string;
	group: FieldGroup;
}

/** A field's flag, label and help in the page's language (flags are never translated). */
export function fieldDoc(key: DocumentedField, t: Translate): RunFieldDoc {
	const field = runFields[key];
	return {
		flag: 'env' in field ? field.env : `--${key}`,
		label: t(`field.${key}.label` satisfies MessageKey),
		help: t(`field.${key}.help` satisfies MessageKey),
		group: runFields[key].group
	};
}
