// Bidirectional multi-head self-attention for the encoder towers. A patch or audio frame must see the
// whole clip, so this is the core attention kernel with its causal mask off, run on the kernel
// threads over (batch, head) groups straight from the fused qkv rows.

import { attend } from './sequence';
import type { Tensor } from '../../tensor/tensor';

/**
 * qkv (B, T, 3C) laid out [q | k | v], heads of size C / NH inside each third.
 * Returns (B, T, C), heads concatenated, softmax(q k^T / sqrt(hs)) v per head.
 */
export function bidirectionalAttention(qkv: Tensor, NH: number): Tensor {
	const [B, T, C3] = qkv.shape;
	const C = C3 / 3;
	const hs = C / NH;
	if (!Number.isInteger(hs)) throw new Error(`engine: ${NH} heads do not divide width ${C}`);
	const third = (i: number) => ({ t: qkv, offset: i * C, stride: C3 });
	return attend(third(0), third(1), third(2), B, T, NH, NH, hs, false);
}
