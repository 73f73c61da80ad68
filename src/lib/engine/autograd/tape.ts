// The tape: every differentiable op run while gradients are enabled pushes a closure that adds its
// inputs' gradients from its output's gradient. backward() replays them newest first. Gradients
// accumulate (+=), so a tensor used twice, or a parameter over several micro-batches, sums them.

import { ensureGrad } from '../tensor/create';
import { engine } from '../tensor/runtime';
import type { Tensor } from '../tensor/tensor';

type Backward = () => void;

const tape: Backward[] = [];
let gradEnabled = true;

export function isGradEnabled(): boolean {
	return gradEnabled;
}

/** Runs fn without recording (inference, evaluation, weight updates). */
export function noGrad<T>(fn: () => T): T {
	const before = gradEnabled;
	gradEnabled = false;
	try {
		return fn();
	} finally {
		gradEnabled = before;
	}
}

/** True when an op with these inputs must record a backward. */
export function needsGrad(...inputs: (Tensor | null | undefined)[]): boolean {
	if (!gradEnabled) return false;
	for (const t of inputs) if (t && t.requiresGrad) return true;
	return false;
}

export function record(fn: Backward): void {
	tape.push(fn);
}

/** Entries recorded since the last beginStep()/backward(). */
export function tapeLength(): number {
	return tape.length;
}

/**
 * Back-propagates from `root`: seeds its gradient (1 for every element, or `seed`), replays the tape,
 * then clears it. Parameter gradients accumulate until zeroed (see optim).
 */
export function backward(root: Tensor, seed?: ArrayLike<number>): void {
	const g = ensureGrad(root);
	if (seed) g.set(seed);
	else g.fill(1);
	for (let i = tape.length - 1; i >= 0; i--) tape[i]();
	tape.length = 0;
}

/**
 * Starts a step: forgets the tape and rewinds the step arena, so every activation and activation
 * gradient of the previous step is gone and its memory reused. Call once before each forward.
 */
export function beginStep(): void {
	tape.length = 0;
	engine().arena.reset();
}
