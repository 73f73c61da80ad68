// The engine's AdamW: decoupled weight decay (none on 1-D tensors), global-norm clipping folded into
// the update kernel, a peak-rate factor per tensor (ms-swift's vit_lr / aligner_lr scale the towers'
// rates on the same schedule), and state that saves and restores exactly (moments by parameter name,
// step count) for resumable runs. It drives the SIMD `adamw` and `sumSquares` kernels.

import { runSplit } from '../kernels/parallel';
import { free, zeros } from '../tensor/create';
import { engine } from '../tensor/runtime';
import type { Tensor } from '../tensor/tensor';

export interface OptimizerOptions {
	beta1: number;
	beta2: number;
	eps: number;
	weightDecay: number;
	maxGradNorm: number;
}

interface Slot {
	name: string;
	param: Tensor;
	m: Tensor;
	v: Tensor;
	weightDecay: number;
	/** This tensor's rate over the scheduled one. */
	lrScale: number;
}

/** The factor that brings a gradient of this norm down to maxNorm (0: no clipping), 1 when within it. */
export function clipScale(norm: number, maxNorm: number): number {
	return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
}

export class ResumableAdamW {
	private readonly slots: Slot[];
	private readonly options: OptimizerOptions;
	/** Updates taken (bias correction). */
	t = 0;

	/**
	 * named: trainable tensors by checkpoint name; 1-D tensors (gains, magnitudes) get no decay.
	 * lrScale: each tensor's factor on the scheduled rate (default 1).
	 */
	constructor(named: [string, Tensor][], options: OptimizerOptions, lrScale: (name: string) => number = () => 1) {
		this.options = options;
		this.slots = named.map(([name, param]) => ({
			name,
			param,
			m: zeros(param.shape, { lifetime: 'persistent', name: `${name}.exp_avg` }),
			v: zeros(param.shape, { lifetime: 'persistent', name: `${name}.exp_avg_sq` }),
			weightDecay: param.shape.length > 1 ? options.weightDecay : 0,
			lrScale: lrScale(name)
		}));
	}

	/** Global L2 norm of the gradients. */
	gradNorm(): number {
		const e = engine();
		let s = 0;
		for (const slot of this.slots) if (slot.param.grad) s += e.kernels.sumSquares(slot.param.grad.ptr, slot.param.size);
		return Math.sqrt(s);
	}

	/** One update at learning rate lr, clipping to maxGradNorm; clears the gradients. Returns the pre-clip norm. */
	step(lr: number): number {
		const o = this.options;
		const norm = this.gradNorm();
		this.stepScaled(lr, clipScale(norm, o.maxGradNorm));
		return norm;
	}

	/**
	 * One update with the gradients multiplied by gradScale inside the update kernel, for a clip the
	 * caller decided over several optimizers (a global norm); clears the gradients.
	 */
	stepScaled(lr: number, gradScale: number): void {
		const o = this.options;
		this.t++;
		const bc1 = 1 - Math.pow(o.beta1, this.t);
		const bc2 = 1 - Math.pow(o.beta2, this.t);
		for (const s of this.slots) {
			const g = s.param.grad;
			if (!g) continue;
			runSplit('adamw', s.param.size, s.param.size * 4, 4, (i0, i1) => [s.param.ptr, g.ptr, s.m.ptr, s.v.ptr, lr * s.lrScale, o.beta1, o.beta2, o.eps, s.weightDecay, bc1, bc2, gradScale, 1, i0, i1]);
		}
	}

	/** Returns the moment buffers to the heap. */
	dispose(): void {
		for (const s of this.slots) {
			free(s.m);
			free(s.v);
		}
		this.slots.length = 0;
	}

	zeroGrad(): void {
		for (const s of this.slots) s.param.grad?.fill(0);
	}

	/** Moments by name, `<name>.exp_avg` / `<name>.exp_avg_sq`, as host copies. */
	stateTensors(): { name: string; shape: readonly number[]; data: Float32Array }[] {
		return this.slots.flatMap((s) => [
			{ name: `${s.name}.exp_avg`, shape: s.param.shape, data: s.m.toArray() },
			{ name: `${s.name}.exp_avg_sq`, shape: s.param.shape, data: s.v.toArray() }
		]);
	}

	loadState(t: number, get: (name: string) => Float32Array | undefined): void {
		this.t = t;
		for (const s of this.slots) {
			const m = get(`${s.name}.exp_avg`);
			const v = get(`${s.name}.exp_avg_sq`);
			if (!m || !v) throw new Error(`optimizer state has no moments for ${s.name}`);
			s.m.set(m);
			s.v.set(v);
		}
	}
}
