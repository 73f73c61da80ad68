// Fused softmax cross-entropy over logits (N, V) with integer targets (N); targets equal to
// `ignoreIndex` contribute no loss and no gradient. Forward saves the row log-sum-exp for backward.

import { exp1, exp4, hsum4 } from './simd';

/** losses[r] = lse - logits[target] (0 when ignored); lse[r] saved. Rows [r0, r1). */
export function crossEntropyForward(logits: usize, targets: usize, losses: usize, lse: usize, V: i32, ignoreIndex: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const row = logits + (<usize>(r * V) << 2);
    let vm = f32x4.splat(-Infinity);
    let i = 0;
    for (; i + 4 <= V; i += 4) vm = f32x4.max(vm, v128.load(row + (<usize>i << 2)));
    let mx = max(max(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
    for (; i < V; i++) mx = max(mx, load<f32>(row + (<usize>i << 2)));
    const vmx = f32x4.splat(mx);
    let vs = f32x4.splat(0);
    i = 0;
    for (; i + 4 <= V; i += 4) vs = f32x4.add(vs, exp4(f32x4.sub(v128.load(row + (<usize>i << 2)), vmx)));
    let s = hsum4(vs);
    for (; i < V; i++) s += exp1(load<f32>(row + (<usize>i << 2)) - mx);
    const l = mx + Mathf.log(s);
    store<f32>(lse + (<usize>r << 2), l);
    const tgt = load<i32>(targets + (<usize>r << 2));
    store<f32>(losses + (<usize>r << 2), tgt == ignoreIndex ? <f32>0 : l - load<f32>(row + (<usize>tgt << 2)));
  }
}

/** dlogits += scale * (softmax(logits) - onehot(target)) per non-ignored row. */
export function crossEntropyBackward(logits: usize, targets: usize, lse: usize, dlogits: usize, V: i32, ignoreIndex: i32, scale: f32, r0: i32, r1: i32): void {
  const vsc = f32x4.splat(scale);
  for (let r = r0; r < r1; r++) {
    const tgt = load<i32>(targets + (<usize>r << 2));
    if (tgt == ignoreIndex) continue;
    const row = logits + (<usize>(r * V) << 2);
    const drow = dlogits + (<usize>(r * V) << 2);
    const l = load<f32>(lse + (<usize>r << 2));
    const vl = f32x4.splat(l);
    let i = 0;
    for (; i + 4 <= V; i += 4) {
      const o = <usize>i << 2;
      const p = exp4(f32x4.sub(v128.load(row + o), vl));
      v128.store(drow + o, f32x4.add(v128.load(drow + o), f32x4.mul(p, vsc)));
    }
    for (; i < V; i++) {
      const o = <usize>i << 2;
      store<f32>(drow + o, load<f32>(drow + o) + exp1(load<f32>(row + o) - l) * scale);
    }
    const to = drow + (<usize>tgt << 2);
    store<f32>(to, load<f32>(to) - scale);
  }
}
