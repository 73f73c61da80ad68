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

/** x (B, 1, H, hs) -> rotated copy, row b at its own position `positions[b]` (rows decoding together). */
export function ropeAtRows(x: Tensor, table: RopeTable, positions: readonly number[]): Tensor {
	const [B, T, H, hs] = x.shape;
	if (T !== 1 || positions.length !== B) throw new Error(`engine: ropeAtRows needs (B, 1, H, hs) and B positions, got [${x.shape}] and ${positions.length}`);
	const y = empty(x.shape);
	const rowBytes = H * hs * 4;
	positions.forEach((position, b) => {
		if (position + 1 > table.T) throw new Error(`engine: position ${position + 1} beyond the rope table (${table.T})`);
		const shift = position * (hs / 2) * 4;
		engine().kernels.rope(x.ptr + b * rowBytes, y.ptr + b * rowBytes, table.cos.ptr + shift, table.sin.ptr + shift, 1, H, hs, H * hs, 1, 0, 0, 1);
	});
	return y;
}
