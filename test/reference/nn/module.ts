// Base of the nn modules: a module owns named parameters and child modules, and lists them for
// optimizers and checkpoints. Parameters can be passed in (slices of a stacked model buffer) or
// created here with an initialiser.

import { createParameter, type Init } from '../../../src/lib/engine/tensor/create';

export { createParameter, type Init };
import type { Tensor } from '../../../src/lib/engine/tensor/tensor';

export abstract class Module {
	private readonly ownParams = new Map<string, Tensor>();
	private readonly children = new Map<string, Module>();

	protected registerParameter(name: string, t: Tensor): Tensor {
		this.ownParams.set(name, t);
		return t;
	}

	protected registerModule<M extends Module>(name: string, m: M): M {
		this.children.set(name, m);
		return m;
	}

	/** Every parameter, depth first, with dotted names ("h.0.attn.qkv.weight"). */
	namedParameters(prefix = ''): [string, Tensor][] {
		const out: [string, Tensor][] = [];
		for (const [n, t] of this.ownParams) out.push([prefix + n, t]);
		for (const [n, m] of this.children) out.push(...m.namedParameters(`${prefix}${n}.`));
		return out;
	}

	parameters(): Tensor[] {
		return this.namedParameters().map(([, t]) => t);
	}
}
