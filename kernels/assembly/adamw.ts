// AdamW (decoupled weight decay) for one parameter tensor, elements [i0, i1).
// gradScale folds gradient-norm clipping and accumulation averaging into the update.
// bc1 = 1 - beta1^t and bc2 = 1 - beta2^t are computed once per step by the caller.

export function adamw(p: usize, g: usize, m: usize, v: usize, lr: f32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32,
  bc1: f32, bc2: f32, gradScale: f32, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) {
    const o = <usize>i << 2;
    const grad = load<f32>(g + o) * gradScale;
    const mi = beta1 * load<f32>(m + o) + (1 - beta1) * grad;
    const vi = beta2 * load<f32>(v + o) + (1 - beta2) * grad * grad;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const pi = load<f32>(p + o);
    store<f32>(p + o, pi - lr * ((mi / bc1) / (Mathf.sqrt(vi / bc2) + eps) + weightDecay * pi));
  }
}
