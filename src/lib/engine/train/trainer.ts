// The training loop a device worker drives, for every model (text decoder or multimodal): builds
// the model and tuner, renders the data (decoding multimodal rows' media once), then runs optimizer
// updates one at a time, reporting through callbacks, evaluating and checkpointing on schedule, and
// stopping gracefully (finish the update, save, return 'stopped') when asked.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SeededRandom } from '../data/seededRandom';
import { learningRateAt, type LrScheduleConfig } from '../data/schedule';
import { engine } from '../tensor/runtime';
import { applyTuner, type TunedModel } from '../tuners/apply';
import type { TunerConfig } from '../tuners/config';
import type { MicroBatch } from './batches';
import type { AnyModel } from '../models/modelFiles';
import { MultimodalModel } from '../models/multimodal/model';
import type { MediaFeatureCache } from '../models/multimodal/mediaPipeline';
import { loadCheckpoint, rotateCheckpoints, saveCheckpoint } from './checkpointing';
import { resolveArguments, type LossConfig, type ModelSource, type ResolvedArguments, type TrainingArguments, type TrainRow } from './config';
import { DataStream } from './dataStream';
import { prepareData, type PreparedData } from './datasets';
import { prepareMultimodalData, type MediaOptions } from './multimodalData';
import { evaluate } from './evaluate';
import { buildModel } from './modelSource';
import { runMicroBatch, type MicroResult } from './objective';
import { ResumableAdamW } from './optimizer';
import type { TrainerState, TrainLog } from './state';
import { tagOfName, trainableModel, type TrainableModel } from './trainableModel';

export interface TrainerOptions {
	model: ModelSource;
	tuner: TunerConfig;
	/** SFT when absent; { rlhf_type: 'dpo' | 'orpo' | 'simpo', beta, ... } for preference training. */
	loss?: LossConfig;
	train: readonly TrainRow[];
	val?: readonly TrainRow[];
	args?: TrainingArguments;
	outputDir: string;
	/** A checkpoint-<step> directory of this run to continue from. */
	resumeFromCheckpoint?: string;
	/** Multimodal rows: the media decoders (the caller's; the engine has none) and the folder paths are relative to. */
	media?: MediaOptions;
}

export interface TrainerCallbacks {
	/** Every logging_steps updates (and the first and last), and after each evaluation. */
	onLog?(metrics: TrainLog): void;
	/** Awaited before older checkpoints are pruned, so a listener can record the new one first. */
	onCheckpoint?(path: string): void | Promise<void>;
	/** Polled after every optimizer update. */
	shouldStop?(): boolean | Promise<boolean>;
}

export interface TrainResult {
	status: 'completed' | 'stopped';
	globalStep: number;
	lastCheckpoint: string | null;
	logHistory: TrainLog[];
}

interface Update {
	/** Weighted mean loss of the update's micro-batches. */
	loss: number;
	results: MicroResult[];
	gradNorm: number;
	/** Non-padding tokens read. */
	tokens: number;
}

/** A window of updates between two logs. */
interface Window { loss: number; steps: number; tokens: number; correct: number; seen: number; ms: number; metrics: Record<string, number> }
const emptyWindow = (): Window => ({ loss: 0, steps: 0, tokens: 0, correct: 0, seen: 0, ms: 0, metrics: {} });

export class Trainer {
	readonly args: ResolvedArguments;
	readonly model: TrainableModel;
	readonly tuned: TunedModel;
	/** Multimodal runs: the decoded media of every row (generation reuses it). */
	readonly mediaCache: MediaFeatureCache | null;
	readonly totalSteps: number;
	readonly state: TrainerState;
	private readonly options: TrainerOptions;
	private readonly loss: LossConfig;
	private readonly optimizer: ResumableAdamW;
	/** Where the run reads its data (size: training items kept). */
	readonly stream: DataStream;
	private readonly batch: (indices: number[]) => MicroBatch;
	private readonly valBatches: MicroBatch[];
	private readonly rng: SeededRandom;
	private readonly schedule: LrScheduleConfig;
	private readonly baseModelPath: string | null;

	private constructor(options: TrainerOptions, model: TrainableModel, tuned: TunedModel, data: PreparedData & { cache?: MediaFeatureCache }, baseModelPath: string | null) {
		this.options = options;
		this.model = model;
		this.tuned = tuned;
		this.mediaCache = data.cache ?? null;
		this.baseModelPath = baseModelPath;
		this.loss = options.loss ?? {};
		const a = (this.args = resolveArguments(options.args ?? {}, options.tuner.tuner_type));
		this.batch = data.batch;
		this.valBatches = data.valBatches;
		this.stream = new DataStream(data.size, a.per_device_train_batch_size, a.gradient_accumulation_steps, a.seed);
		this.totalSteps = a.max_steps > 0 ? a.max_steps : Math.ceil(a.num_train_epochs * this.stream.updatesPerEpoch);
		this.schedule = { type: a.lr_scheduler_type, learningRate: a.learning_rate, totalSteps: this.totalSteps, warmupRatio: a.warmup_ratio };
		// vit_lr / aligner_lr: the towers' peak rates, on the same schedule as the decoder's.
		const peak = { llm: a.learning_rate, vit: a.vit_lr ?? a.learning_rate, aligner: a.aligner_lr ?? a.learning_rate };
		this.optimizer = new ResumableAdamW(tuned.trainable, { beta1: a.adam_beta1, beta2: a.adam_beta2, eps: a.adam_epsilon, weightDecay: a.weight_decay, maxGradNorm: a.max_grad_norm }, (name) => peak[tagOfName(name)] / a.learning_rate);
		this.rng = new SeededRandom(a.seed, 0x5eed);
		this.state = { global_step: 0, max_steps: this.totalSteps, epoch: 0, cursor: { epoch: 0, micro: 0 }, rng: this.rng.getState(), optimizer_step: 0, elapsed_ms: 0, log_history: [], last_model_checkpoint: null };
	}

	/** Builds the model (seeded), applies the tuner, and restores a checkpoint when resuming. */
	static async create(options: TrainerOptions): Promise<Trainer> {
		const seed = options.args?.seed ?? 42;
		const built = await buildModel(options.model, seed);
		const model = trainableModel(built);
		try {
			return await Trainer.prepare(options, built, model, seed);
		} catch (error) {
			// A long-lived worker runs job after job in one memory: a refused run gives its model back.
			model.dispose();
			throw error;
		}
	}

	private static async prepare(options: TrainerOptions, built: AnyModel, model: TrainableModel, seed: number): Promise<Trainer> {
		await mkdir(options.outputDir, { recursive: true });
		let basePath: string | null = null;
		if (options.tuner.tuner_type !== 'full') {
			// A LoRA checkpoint names its base; a seeded base is written once beside the checkpoints.
			if (typeof options.model === 'object' && 'checkpoint' in options.model) basePath = options.model.checkpoint as string;
			else {
				basePath = join(options.outputDir, 'base_model');
				if (!options.resumeFromCheckpoint) await model.save(basePath);
			}
		}
		const tuned = applyTuner(model.decoder, options.tuner, seed);
		const args = resolveArguments(options.args ?? {}, options.tuner.tuner_type);
		const loss = options.loss ?? {};
		let data: PreparedData & { cache?: MediaFeatureCache };
		if (built instanceof MultimodalModel) {
			if (loss.rlhf_type) throw new Error(`${loss.rlhf_type} is for text models; the multimodal model trains with SFT`);
			data = await prepareMultimodalData(built, options.train, options.val ?? [], args, options.media);
		} else data = prepareData(options.train, options.val ?? [], args, loss, tuned);
		const trainer = new Trainer(options, model, tuned, data, basePath);
		try {
			if (options.resumeFromCheckpoint) await trainer.resume(options.resumeFromCheckpoint);
		} catch (error) {
			trainer.optimizer.dispose();
			throw error;
		}
		return trainer;
	}

	private async resume(dir: string): Promise<void> {
		const s = await loadCheckpoint(dir, this.tuned, this.optimizer);
		Object.assign(this.state, s);
		this.stream.epoch = s.cursor.epoch;
		this.stream.micro = s.cursor.micro;
		this.rng.setState(s.rng);
	}

	get argsRecord(): Record<string, unknown> {
		const { train: _train, val: _val, media, ...rest } = this.options;
		return { ...rest, ...(media ? { media_dir: media.baseDir } : {}), architecture: this.model.architecture, args: this.args, train_rows: this.options.train.length, val_rows: this.options.val?.length ?? 0 };
	}

	/** One optimizer update over up to gradient_accumulation_steps micro-batches. */
	private update(): Update {
		const micro = this.stream.nextUpdate().map((ix) => this.batch(ix));
		// Each micro-batch's share of the update: its trained tokens (SFT) or pairs (preference).
		const weightOf = (b: MicroBatch) => b.pairs ?? b.trainedTokens;
		const total = micro.reduce((s, b) => s + weightOf(b), 0) || 1;
		const results = micro.map((b) => runMicroBatch(this.model, b, this.loss, weightOf(b) / total, Math.floor(this.rng.nextFloat() * 4294967296)));
		const gradNorm = this.optimizer.step(learningRateAt(this.state.global_step, this.schedule));
		this.state.global_step++;
		return {
			loss: results.reduce((s, r, i) => s + (r.loss * weightOf(micro[i])) / total, 0),
			results,
			gradNorm,
			tokens: micro.reduce((s, b) => s + b.tokens, 0)
		};
	}

	private syncState(elapsed: number): void {
		this.state.epoch = this.stream.epochProgress;
		this.state.cursor = { epoch: this.stream.epoch, micro: this.stream.micro };
		this.state.rng = this.rng.getState();
		this.state.optimizer_step = this.optimizer.t;
		this.state.elapsed_ms = elapsed;
	}

	private async checkpoint(elapsed: number, callbacks: TrainerCallbacks): Promise<void> {
		this.syncState(elapsed);
		const path = await saveCheckpoint(this.options.outputDir, { model: this.model.model, tuned: this.tuned, optimizer: this.optimizer, state: this.state, args: this.argsRecord, baseModelPath: this.baseModelPath });
		this.state.last_model_checkpoint = path;
		await callbacks.onCheckpoint?.(path);
		await rotateCheckpoints(this.options.outputDir, this.args.save_total_limit);
	}

	private log(entry: TrainLog, callbacks: TrainerCallbacks): void {
		this.state.log_history.push(entry);
		callbacks.onLog?.(entry);
	}

	/** Frees the model, adapters and optimizer state (call when the job is over; run() no longer works). */
	dispose(): void {
		this.optimizer.dispose();
		this.model.dispose();
	}

	async run(callbacks: TrainerCallbacks = {}): Promise<TrainResult> {
		const a = this.args;
		const started = performance.now();
		const priorElapsed = this.state.elapsed_ms;
		const firstStep = this.state.global_step;
		let w = emptyWindow();
		let savedAt = -1;
		let status: TrainResult['status'] = 'completed';
		while (this.state.global_step < this.totalSteps) {
			const t0 = performance.now();
			const u = this.update();
			const step = this.state.global_step;
			w.steps++;
			w.loss += u.loss;
			w.seen += u.tokens;
			w.ms += performance.now() - t0;
			for (const r of u.results) {
				w.tokens += r.tokens;
				w.correct += r.correct;
				for (const [k, v] of Object.entries(r.metrics)) w.metrics[k] = (w.metrics[k] ?? 0) + v / u.results.length;
			}
			const now = performance.now() - started;
			const last = step === this.totalSteps;
			if (step % a.logging_steps === 0 || step === 1 || last) {
				const remaining = (now / (step - firstStep)) * (this.totalSteps - step);
				const metrics = Object.fromEntries(Object.entries(w.metrics).map(([k, v]) => [k, v / w.steps]));
				this.log({
					step, epoch: this.stream.epochProgress, loss: w.loss / w.steps, token_acc: w.tokens ? w.correct / w.tokens : 0,
					learning_rate: learningRateAt(step, this.schedule), grad_norm: u.gradNorm, tokens_per_s: (w.seen / w.ms) * 1000,
					memory: engine().heap.used, elapsed_ms: priorElapsed + now, remaining_ms: remaining, ...metrics
				}, callbacks);
				w = emptyWindow();
			}
			if (this.valBatches.length > 0 && ((a.eval_steps > 0 && step % a.eval_steps === 0) || last)) {
				this.log({ step, epoch: this.stream.epochProgress, ...evaluate(this.model, this.valBatches, this.loss) }, callbacks);
			}
			const stop = !last && ((await callbacks.shouldStop?.()) ?? false);
			if (step % a.save_steps === 0 || last || stop) {
				await this.checkpoint(priorElapsed + performance.now() - started, callbacks);
				savedAt = step;
			}
			if (stop) {
				status = 'stopped';
				break;
			}
			// Let the worker's message loop run (a stop request arrives as a message).
			await new Promise<void>((resolve) => setImmediate(resolve));
		}
		if (savedAt !== this.state.global_step && this.state.global_step > firstStep) await this.checkpoint(priorElapsed + performance.now() - started, callbacks);
		return { status, globalStep: this.state.global_step, lastCheckpoint: this.state.last_model_checkpoint, logHistory: this.state.log_history };
	}
}
