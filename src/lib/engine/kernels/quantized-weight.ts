// Moving a host-side quantised weight into engine memory as a frozen QuantizedWeight for linearQuantized.

import type { QuantizedWeight } from '../autograd/ops/linear';
import { fromArray } from '../tensor/create';
import type { Int8Weight, NF4Weight } from './quant';

export function quantizedWeight(w: Int8Weight | NF4Weight, name = 'qweight'): QuantizedWeight {
	const persistent = { lifetime: 'persistent' as const };
	if ('scales' in w) {
		return {
			kind: 'int8', rows: w.rows, cols: w.cols,
			data: fromArray(w.q, [w.q.length], { ...persistent, dtype: 'i8', name }),
			scales: fromArray(w.scales, [w.rows], { ...persistent, name: `${name}.scales` }),
			aux: null
		};
	}
	return {
		kind: 'nf4', rows: w.rows, cols: w.cols,
		data: fromArray(w.q, [w.q.length], { ...persistent, dtype: 'u8', name }),
		scales: fromArray(w.blockScales, [w.blockScales.length], { ...persistent, dtype: 'i8', name: `${name}.block_scales` }),
		aux: fromArray(w.aux, [w.aux.length], { ...persistent, name: `${name}.aux` })
	};
}
