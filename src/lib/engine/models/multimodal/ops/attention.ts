// Bidirectional multi-head self-attention for the encoder towers. A patch or audio frame must see the
// whole clip, so this is the core attention kernel with its causal mask off, run on the kernel
// threads over (batch, head) groups straight from the fused qkv rows; an optional learned pair bias
// (relative positions, masked pairs) is expanded once per call into the kernel's per-head score bias.

import { gradPtr } from '../../../autograd/grad';
import { attend } from '../../../autograd/ops/sequence';
import { needsGrad, record } from '../../../autograd/tape';
import { empty } from '../../../tensor/create';
import type { Tensor } from '../../../tensor/tensor';

/**
 * A learned score added per head for each pair of tokens by how they lie to each other: pair (i, j)
 * reads `table[h, offsets[i * T + j]]` (table (NH, K)); an offset of -1 keeps i from seeing j at all.
 */
export interface PairBias {
	table: Tensor;
	offsets: Int32Array;
}

/**
 * The (NH, T, T) score bias of a PairBias, -Infinity at masked pairs. Its backward sums each pair's
 * gradient (already summed over the batch by the attention) into the table entry the pair read.
 */
function pairScores(bias: PairBias, NH: number, T: number): Tensor {
	const { table, offsets } = bias;
	const K = table.size / NH;
	const misfit = () => new Error(`engine: pair bias of ${offsets.length} offsets and ${table.size} values does not fit ${T} tokens and ${NH} heads`);
	if (offsets.length !== T * T || !Number.isInteger(K)) throw misfit();
	if (offsets.some((o) => o < -1 || o >= K)) throw misfit();
	const grad = needsGrad(table);
	const scores = empty([NH, T, T], { requiresGrad: grad });
	// Views taken after the allocation: it may grow (and so detach) the memory buffer.
	const src = table.f32();
	const dst = scores.f32();
	for (let h = 0; h < NH; h++) {
		for (let p = 0; p < T * T; p++) {
			const o = offsets[p];
			dst[h * T * T + p] = o < 0 ? -Infinity : src[h * K + o];
		}
	}
	if (grad) {
		record(() => {
			const dScores = scores.grad;
			if (!dScores || !gradPtr(table)) return;
			const dTable = (table.grad as Tensor).f32();
			const d = dScores.f32();
			for (let h = 0; h < NH; h++) {
				for (let p = 0; p < T * T; p++) {
					const o = offsets[p];
					if (o >= 0) dTable[h * K + o] += d[h * T * T + p];
				}
			}
		});
	}
	return scores;
}

/**
 * qkv (B, T, 3C) laid out [q | k | v], heads of size C / NH inside each third.
 * Returns (B, T, C), heads concatenated, softmax(q k^T / sqrt(hs) + bias) v per head.
 */
export function bidirectionalAttention(qkv: Tensor, NH: number, bias?: PairBias): Tensor {
	const [B, T, C3] = qkv.shape;
	const C = C3 / 3;
	const hs = C / NH;
	if (!Number.isInteger(hs)) throw new Error(`engine: ${NH} heads do not divide width ${C}`);
	const scores = bias ? pairScores(bias, NH, T) : undefined;
	const third = (i: number) => ({ t: qkv, offset: i * C, stride: C3 });
	return attend(third(0), third(1), third(2), B, T, NH, NH, hs, { causal: false, bias: scores });
}
