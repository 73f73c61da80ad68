// Helpers shared by op backwards.

import { ensureGrad } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

/** The gradient pointer to accumulate into, or 0 when t does not require grad. */
export function gradPtr(t: Tensor | null | undefined): number {
	return t && t.requiresGrad ? ensureGrad(t).ptr : 0;
}

export function assertShape(t: Tensor, rank: number, what: string): void {
	if (t.shape.length !== rank) throw new Error(`engine: ${what} expects rank ${rank}, got [${t.shape}]`);
}

/** Rows and last dimension of a tensor viewed as 2-D (N, C). */
export function rowsCols(t: Tensor): [number, number] {
	const C = t.shape[t.shape.length - 1];
	return [t.size / C, C];
}
