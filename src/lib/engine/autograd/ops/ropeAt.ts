// RoPE for tokens at absolute positions [position, position + T) (incremental decoding with a KV
// cache): the core kernel counts positions from 0, so the cos/sin tables are entered `position`
// rows in. Inference only: records no backward.

import type { RopeTable } from './index';
import { empty } from '../../tensor/create';
import { engine } from '../../tensor/runtime';
import type { Tensor } from '../../tensor/tensor';

/** x (B, T, H, hs) -> rotated copy, row t at position `position + t`. */
export function ropeAt(x: Tensor, table: RopeTable, position: number): Tensor {
	const [B, T, H, hs] = x.shape;
	if (position + T > table.T) throw new Error(`engine: position ${position + T} beyond the rope table (${table.T})`);
	const y = empty(x.shape);
	const shift = position * (hs / 2) * 4;
	engine().kernels.rope(x.ptr, y.ptr, table.cos.ptr + shift, table.sin.ptr + shift, T, H, hs, H * hs, 1, 0, 0, B * T);
	return y;
}
