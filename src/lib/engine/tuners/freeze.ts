// Freezing: a frozen tensor records no gradient and gives its gradient memory back to the heap.
// Parameters are grouped by tower tag (llm / vit / aligner) so freeze_llm, freeze_vit and
// freeze_aligner act on whole towers; the towers beyond the LLM arrive with the multimodal models.

import { engine } from '../tensor/runtime';
import type { Tensor } from '../tensor/tensor';
import type { ParamTag } from '../models/llama/projection';
import type { ResolvedTunerConfig } from './config';

export function freezeTensor(t: Tensor): void {
	t.requiresGrad = false;
	if (t.grad) {
		engine().heap.release(t.grad.ptr, t.grad.bytes);
		t.grad = null;
	}
}

/** Whether the run's freeze switches leave a tower trainable. */
export function towerTrainable(tag: ParamTag, c: Pick<ResolvedTunerConfig, 'freeze_llm' | 'freeze_vit' | 'freeze_aligner'>): boolean {
	if (tag === 'llm') return !c.freeze_llm;
	if (tag === 'vit') return !c.freeze_vit;
	return !c.freeze_aligner;
}
