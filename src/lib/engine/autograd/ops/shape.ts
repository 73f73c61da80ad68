// Shape-only ops: free (no copy), gradients alias the base tensor's.

import { view } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';

/** Same elements, new shape (row-major order unchanged). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
	return view(x, shape);
}
