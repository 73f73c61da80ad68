// AdamW (decoupled weight decay) for one parameter tensor, elements [i0, i1).
// gradScale folds gradient-norm clipping and accumulation averaging into the update.
// bc1 = 1 - beta1^t and bc2 = 1 - beta2^t are computed once per step by the caller.
// zeroGrad != 0 clears each gradient once read, sparing the optimizer a separate pass over memory.

// @ts-ignore: decorator
@inline function update(p: usize, g: usize, m: usize, v: usize, o: usize, lr: v128, b1: v128, b2: v128, eps: v128, wd: v128,
  ibc1: v128, ibc2: v128, gs: v128, zeroGrad: bool): void {
  const one = f32x4.splat(1);
  const grad = f32x4.mul(v128.load(g + o), gs);
  if (zeroGrad) v128.store(g + o, f32x4.splat(0));
  const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(f32x4.sub(one, b1), grad));
  const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(f32x4.sub(one, b2), f32x4.mul(grad, grad)));
  v128.store(m + o, mi);
  v128.store(v + o, vi);
  const pi = v128.load(p + o);
  const step = f32x4.add(f32x4.div(f32x4.mul(mi, ibc1), f32x4.add(f32x4.sqrt(f32x4.mul(vi, ibc2)), eps)), f32x4.mul(wd, pi));
  v128.store(p + o, f32x4.sub(pi, f32x4.mul(lr, step)));
}

export function adamw(p: usize, g: usize, m: usize, v: usize, lr: f32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32,
  bc1: f32, bc2: f32, gradScale: f32, zeroGrad: i32, i0: i32, i1: i32): void {
  const vlr = f32x4.splat(lr), vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2), veps = f32x4.splat(eps), vwd = f32x4.splat(weightDecay);
  const ibc1 = f32x4.splat(1.0 / bc1), ibc2 = f32x4.splat(1.0 / bc2), gs = f32x4.splat(gradScale);
  let i = i0;
  for (; i + 4 <= i1; i += 4) update(p, g, m, v, <usize>i << 2, vlr, vb1, vb2, veps, vwd, ibc1, ibc2, gs, zeroGrad != 0);
  // Tail: the same arithmetic on one lane, so every element sees identical rounding.
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const grad = load<f32>(g + o) * gradScale;
    if (zeroGrad) store<f32>(g + o, 0);
    const mi = beta1 * load<f32>(m + o) + (1 - beta1) * grad;
    const vi = beta2 * load<f32>(v + o) + (1 - beta2) * (grad * grad);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const pi = load<f32>(p + o);
    store<f32>(p + o, pi - lr * ((mi * (<f32>1.0 / bc1)) / (Mathf.sqrt(vi * (<f32>1.0 / bc2)) + eps) + weightDecay * pi));
  }
}
