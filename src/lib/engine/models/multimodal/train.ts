// The multimodal SFT loop: the decoder Trainer renders text-only rows and owns a LlamaModel, so
// media rows are trained here with the same pieces: the tuners (applyTuner on the decoder, which
// also holds the tower and aligner parameters under their vit / aligner tags), the SFT loss, the
// resumable AdamW and the learning-rate schedule.

import { backward, beginStep } from '../../autograd/tape';
import { learningRateAt, type LrSchedulerType } from '../../data/schedule';
import { SeededRandom } from '../../data/seededRandom';
import { sftLoss } from '../../losses/sft';
import { clipScale, ResumableAdamW } from '../../train/optimizer';
import { applyTuner, type TunedModel } from '../../tuners/apply';
import type { TunerConfig } from '../../tuners/config';
import type { ParamTag } from '../llama/projection';
import type { MultimodalModel } from './model';
import { packMultimodal, type MultimodalSample } from './samples';

export interface MultimodalTrainOptions {
	tuner: TunerConfig;
	learning_rate: number;
	/** ms-swift's --vit_lr / --aligner_lr: peak rates for the towers and the aligners (default learning_rate), same schedule. */
	vit_lr?: number;
	aligner_lr?: number;
	num_train_epochs: number;
	per_device_train_batch_size: number;
	lr_scheduler_type?: LrSchedulerType;
	warmup_ratio?: number;
	weight_decay?: number;
	max_grad_norm?: number;
	/** Log every N updates (and the first and the last). */
	logging_steps?: number;
	seed?: number;
}

export interface MultimodalTrainLog {
	step: number;
	epoch: number;
	loss: number;
	token_acc: number;
	learning_rate: number;
	/** ms-swift's --vit_lr / --aligner_lr: peak rates for the towers and the aligners (default learning_rate), same schedule. */
	vit_lr?: number;
	aligner_lr?: number;
	grad_norm: number;
	elapsed_ms: number;
}

export interface MultimodalTrainCallbacks {
	onLog?(log: MultimodalTrainLog): void;
	/** Polled after every update; true ends the run after that update. */
	shouldStop?(): boolean;
}

export interface MultimodalTrainResult {
	tuned: TunedModel;
	steps: number;
	status: 'completed' | 'stopped';
	logs: MultimodalTrainLog[];
}

/** The tower a trainable tensor belongs to, from its checkpoint name (HF or PEFT). */
export function tagOfName(name: string): ParamTag {
	if (/(^|\.)(visual|audio_tower)\./.test(name)) return 'vit';
	if (/(^|\.)multi_modal_projector\./.test(name)) return 'aligner';
	return 'llm';
}

export async function trainMultimodal(model: MultimodalModel, samples: readonly MultimodalSample[], o: MultimodalTrainOptions, callbacks: MultimodalTrainCallbacks = {}): Promise<MultimodalTrainResult> {
	if (samples.length === 0) throw new Error('no training samples');
	const seed = o.seed ?? 42;
	const tuned = applyTuner(model.llm, o.tuner, seed);
	// One optimizer per tower so each can have its own peak rate; clipping uses the global norm.
	const peak: Record<ParamTag, number> = { llm: o.learning_rate, vit: o.vit_lr ?? o.learning_rate, aligner: o.aligner_lr ?? o.learning_rate };
	const optimizers = (['llm', 'vit', 'aligner'] as const).flatMap((tag) => {
		const named = tuned.trainable.filter(([n]) => tagOfName(n) === tag);
		return named.length ? [{ scale: peak[tag] / o.learning_rate, opt: new ResumableAdamW(named, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: o.weight_decay ?? 0.1, maxGradNorm: 0 }) }] : [];
	});
	const maxNorm = o.max_grad_norm ?? 1;
	const bs = o.per_device_train_batch_size;
	const perEpoch = Math.ceil(samples.length / bs);
	const totalSteps = Math.ceil(o.num_train_epochs * perEpoch);
	const schedule = { type: o.lr_scheduler_type ?? 'cosine', learningRate: o.learning_rate, totalSteps, warmupRatio: o.warmup_ratio ?? 0 };
	const logEvery = o.logging_steps ?? 10;
	const logs: MultimodalTrainLog[] = [];
	const started = performance.now();
	let window = { loss: 0, tokens: 0, correct: 0, steps: 0 };
	let order: number[] = [];
	let status: MultimodalTrainResult['status'] = 'completed';
	let step = 0;
	while (step < totalSteps) {
		const epoch = Math.floor(step / perEpoch);
		const k = step % perEpoch;
		// Each epoch's order comes from its own stream, so it does not depend on earlier epochs.
		if (k === 0) order = new SeededRandom(seed, epoch + 1).shuffle(samples.map((_, i) => i));
		const batch = packMultimodal(order.slice(k * bs, (k + 1) * bs).map((i) => samples[i]));
		beginStep();
		model.llm.adapterStep = { enabled: true, training: true, seed: (seed * 7919 + step) >>> 0 };
		// Logits only where the loss reads them; a batch with nothing to train has no such position.
		const trained = batch.trainedTokens > 0 ? model.trainedLogits(batch, batch.labels) : { logits: model.forward(batch), labels: batch.labels };
		const r = sftLoss(trained.logits, trained.labels);
		if (r.tokens > 0) backward(r.loss);
		const lr = learningRateAt(step, schedule);
		const gradNorm = Math.hypot(...optimizers.map((g) => g.opt.gradNorm()));
		for (const g of optimizers) g.opt.stepScaled(lr * g.scale, clipScale(gradNorm, maxNorm));
		step++;
		window.loss += r.loss.item();
		window.tokens += r.tokens;
		window.correct += r.correct;
		window.steps++;
		if (step % logEvery === 0 || step === 1 || step === totalSteps) {
			const log = { step, epoch: step / perEpoch, loss: window.loss / window.steps, token_acc: window.tokens ? window.correct / window.tokens : 0, learning_rate: lr, grad_norm: gradNorm, elapsed_ms: performance.now() - started };
			logs.push(log);
			callbacks.onLog?.(log);
			window = { loss: 0, tokens: 0, correct: 0, steps: 0 };
		}
		if (step < totalSteps && callbacks.shouldStop?.()) {
			status = 'stopped';
			break;
		}
		// Let a worker's message loop run between updates (a stop request arrives as a message).
		await new Promise<void>((done) => setImmediate(done));
	}
	model.llm.adapterStep = { enabled: true, training: false, seed: 0 };
	return { tuned, steps: step, status, logs };
}
