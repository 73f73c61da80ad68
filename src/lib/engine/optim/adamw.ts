// AdamW over parameter groups, with global gradient-norm clipping and gradient accumulation.
// Moment buffers are allocated on the first step and reused, so later steps allocate nothing.

import { runSplit } from '../kernels/parallel';
import { engine } from '../tensor/runtime';
import { zeros } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

export interface ParamGroup {
	params: Tensor[];
	/** Overrides the optimizer's learning rate for this group. */
	lr?: number;
	/** Overrides the optimizer's weight decay (e.g. 0 for biases and norm gains). */
	weightDecay?: number;
	name?: string;
}

export interface AdamWOptions {
	lr: number;
	beta1?: number;
	beta2?: number;
	eps?: number;
	weightDecay?: number;
	/** Clip the global gradient norm to this value (after gradScale); none when undefined. */
	maxGradNorm?: number;
}

export interface StepOptions {
	/** Multiplies every gradient before use: 1 / micro-batches when gradients were accumulated. */
	gradScale?: number;
	/** Learning rate for this step (schedules); the configured one otherwise. */
	lr?: number;
	/** Clear each gradient as it is consumed (same as zeroGrad() afterwards, one pass fewer). */
	zeroGrad?: boolean;
}

export interface StepResult {
	/** Global L2 norm of the (scaled) gradients, before clipping. */
	gradNorm: number;
	/** Factor applied by clipping (1 when not clipped). */
	clipScale: number;
}

interface Slot {
	param: Tensor;
	m: Tensor;
	v: Tensor;
	lr: number | undefined;
	weightDecay: number | undefined;
}

export class AdamW {
	readonly groups: ParamGroup[];
	readonly options: Required<Omit<AdamWOptions, 'maxGradNorm'>> & { maxGradNorm: number | undefined };
	private slots: Slot[] | null = null;
	/** Steps taken (for bias correction). */
	t = 0;

	constructor(params: Tensor[] | ParamGroup[], options: AdamWOptions) {
		this.groups = params.length > 0 && 'params' in params[0] ? (params as ParamGroup[]) : [{ params: params as Tensor[] }];
		this.options = {
			lr: options.lr,
			beta1: options.beta1 ?? 0.9,
			beta2: options.beta2 ?? 0.999,
			eps: options.eps ?? 1e-8,
			weightDecay: options.weightDecay ?? 0,
			maxGradNorm: options.maxGradNorm
		};
	}

	private state(): Slot[] {
		if (this.slots) return this.slots;
		this.slots = this.groups.flatMap((g) =>
			g.params.map((p) => ({
				param: p,
				m: zeros(p.shape, { lifetime: 'persistent', name: `${p.name}.adam_m` }),
				v: zeros(p.shape, { lifetime: 'persistent', name: `${p.name}.adam_v` }),
				lr: g.lr,
				weightDecay: g.weightDecay
			}))
		);
		return this.slots;
	}

	/** Global L2 norm of all gradients times gradScale. */
	gradNorm(gradScale = 1): number {
		const e = engine();
		let s = 0;
		for (const g of this.groups) for (const p of g.params) if (p.grad) s += e.timed('sumSquares', () => e.kernels.sumSquares((p.grad as Tensor).ptr, p.size));
		return Math.sqrt(s) * Math.abs(gradScale);
	}

	step(options: StepOptions = {}): StepResult {
		const o = this.options;
		const gradScale = options.gradScale ?? 1;
		const gradNorm = this.gradNorm(gradScale);
		const clipScale = o.maxGradNorm !== undefined && gradNorm > o.maxGradNorm ? o.maxGradNorm / (gradNorm + 1e-6) : 1;
		this.t++;
		const bc1 = 1 - Math.pow(o.beta1, this.t);
		const bc2 = 1 - Math.pow(o.beta2, this.t);
		const baseLr = options.lr ?? o.lr;
		const scaleFactor = gradScale * clipScale;
		const zero = options.zeroGrad ? 1 : 0;
		for (const s of this.state()) {
			const g = s.param.grad;
			if (!g) continue;
			const lr = s.lr ?? baseLr;
			const wd = s.weightDecay ?? o.weightDecay;
			runSplit('adamw', s.param.size, s.param.size * 4, 4, (i0, i1) => [
				s.param.ptr, g.ptr, s.m.ptr, s.v.ptr, lr, o.beta1, o.beta2, o.eps, wd, bc1, bc2, scaleFactor, zero, i0, i1
			]);
		}
		return { gradNorm, clipScale };
	}

	/** Zeroes every parameter gradient (call after step, before the next accumulation). */
	zeroGrad(): void {
		for (const g of this.groups) for (const p of g.params) p.grad?.fill(0);
	}
}
