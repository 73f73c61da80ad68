// LoRA (Hu et al. 2021) and DoRA (Liu et al. 2024) adapters on one projection.
//   LoRA: y = x W^T + s * (drop(x) A^T) B^T,  A (r, in), B (out, r), s = alpha / r (or / sqrt(r)).
//   DoRA: y = (m / ||W + s B A||_row) * (x W^T + s * (drop(x) A^T) B^T), m (out) trainable; the row
//         norm is a constant in the backward (the paper's section 4.3, as PEFT does), and works on an
//         fp32 or a quantised base (see doraNorm.ts).
// A starts uniform in +-1/sqrt(in) (PEFT's kaiming_uniform(a=sqrt(5))), B at zero, m at ||W||_row,
// so a fresh adapter leaves the model unchanged.

import { matmul, dropout } from '../autograd/ops/index';
import { noGrad } from '../autograd/tape';
import { SeededRandom } from '../data/seededRandom';
import type { Adapter, AdapterStep, Projection } from '../models/llama/projection';
import { loraLinear, type FrozenWeight } from '../autograd/ops/loraLinear';
import { scaleColumns } from '../autograd/ops/rowScale';
import { baseRowNorms2, doraRowNorms } from './doraNorm';
import { parameter } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

export class LoraAdapter implements Adapter {
	readonly A: Tensor;
	readonly B: Tensor;
	readonly scaling: number;
	readonly dropoutP: number;
	/** DoRA magnitude (out); null for plain LoRA. */
	readonly magnitude: Tensor | null;
	/** DoRA: ||W_o||^2 of the frozen base, computed once. */
	private readonly base2: Float64Array | null;

	constructor(p: Projection, rank: number, scaling: number, dropoutP: number, seed: number, dora: boolean) {
		this.scaling = scaling;
		this.dropoutP = dropoutP;
		const random = new SeededRandom(seed, p.index);
		const bound = 1 / Math.sqrt(p.inFeatures);
		this.A = parameter([rank, p.inFeatures], `${p.name}.lora_A.weight`, Float32Array.from({ length: rank * p.inFeatures }, () => (2 * random.nextFloat() - 1) * bound));
		this.B = parameter([p.outFeatures, rank], `${p.name}.lora_B.weight`);
		this.base2 = dora ? baseRowNorms2(p) : null;
		this.magnitude = this.base2 ? parameter([p.outFeatures], `${p.name}.lora_magnitude_vector.weight`, this.base2.map(Math.sqrt)) : null;
	}

	namedParameters(): [string, Tensor][] {
		const out: [string, Tensor][] = [['lora_A.weight', this.A], ['lora_B.weight', this.B]];
		if (this.magnitude) out.push(['lora_magnitude_vector.weight', this.magnitude]);
		return out;
	}

	forward(x: Tensor, p: Projection, step: AdapterStep): Tensor {
		// A different mask per projection and per step; none at evaluation.
		const dropped = step.training ? dropout(x, this.dropoutP, (step.seed ^ Math.imul(p.index + 1, 0x9e3779b1)) >>> 0) : x;
		const frozen: FrozenWeight = p.weight ? { weight: p.weight } : { quantized: p.quantized as NonNullable<Projection['quantized']> };
		const y = loraLinear(x, dropped, frozen, this.A, this.B, this.scaling);
		if (!this.magnitude || !this.base2) return y;
		const norms = doraRowNorms(p, this.A, this.B, this.scaling, this.base2);
		return scaleColumns(y, this.magnitude, norms.map((n) => 1 / n));
	}
}

/** W + s B A (out, in) as host values (merging); W must be fp32 by then. */
export function mergedWeight(p: Projection, a: LoraAdapter): Float32Array {
	if (!p.weight) throw new Error(`${p.name}: merging needs the base in fp32`);
	const w = p.weight;
	return noGrad(() => {
		const ba = matmul(a.B, a.A).f32();
		const wv = w.f32();
		return Float32Array.from(wv, (v, i) => v + a.scaling * ba[i]);
	});
}

export function rowNorms(w: Float32Array, rows: number): Float32Array {
	const cols = w.length / rows;
	const out = new Float32Array(rows);
	for (let r = 0; r < rows; r++) {
		let s = 0;
		for (let c = 0; c < cols; c++) s += w[r * cols + c] ** 2;
		out[r] = Math.sqrt(s);
	}
	return out;
}
