// Feed-forward blocks: GPT-2's GELU MLP and Llama's SwiGLU MLP.

import { gelu, swiglu } from '../../../src/lib/engine/autograd/ops/index';
import type { Tensor } from '../../../src/lib/engine/tensor/tensor';
import { Linear, type LinearOptions } from './linear';
import { Module } from './module';

/** x -> proj(gelu(fc(x))), hidden = 4 * dim by default. */
export class GeluMLP extends Module {
	readonly fc: Linear;
	readonly proj: Linear;

	constructor(dim: number, options: { hidden?: number; fc?: LinearOptions; proj?: LinearOptions } = {}) {
		super();
		const hidden = options.hidden ?? 4 * dim;
		this.fc = this.registerModule('c_fc', new Linear(dim, hidden, options.fc));
		this.proj = this.registerModule('c_proj', new Linear(hidden, dim, options.proj));
	}

	forward(x: Tensor): Tensor {
		return this.proj.forward(gelu(this.fc.forward(x)));
	}
}

/** x -> down(silu(gate(x)) * up(x)), no biases (Llama). */
export class SwiGLUMLP extends Module {
	readonly gate: Linear;
	readonly up: Linear;
	readonly down: Linear;

	constructor(dim: number, hidden: number, options: { seed?: number; std?: number } = {}) {
		super();
		const o = { bias: false, std: options.std, seed: options.seed };
		this.gate = this.registerModule('gate_proj', new Linear(dim, hidden, { ...o, seed: (options.seed ?? 1) + 1 }));
		this.up = this.registerModule('up_proj', new Linear(dim, hidden, { ...o, seed: (options.seed ?? 1) + 2 }));
		this.down = this.registerModule('down_proj', new Linear(hidden, dim, { ...o, seed: (options.seed ?? 1) + 3 }));
	}

	forward(x: Tensor): Tensor {
		return this.down.forward(swiglu(this.gate.forward(x), this.up.forward(x)));
	}
}
