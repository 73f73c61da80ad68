// Preference losses as functions of per-sequence log-likelihoods (float64, host side), each with
// its exact gradient. Batches are laid out [chosen_0..chosen_{n-1}, rejected_0..rejected_{n-1}];
// `logps` are summed log-probabilities of the response tokens, `lengths` their token counts.
//   dpo   (Rafailov et al.): -log sigmoid(beta * ((pc - rc) - (pr - rr))), reference r = the base
//         model (adapters off); optional rpo_alpha * NLL(chosen).
//   orpo  (Hong et al.): NLL(chosen) - beta * log sigmoid(log odds(avg pc) - log odds(avg pr)).
//   simpo (Meng et al.): -log sigmoid(beta * (avg pc - avg pr) - gamma) + cpo_alpha * NLL(chosen).
// Metrics use TRL's / ms-swift's names and definitions.

export type PreferenceType = 'dpo' | 'orpo' | 'simpo';

export interface PreferenceConfig {
	rlhf_type: PreferenceType;
	/** dpo 0.1, orpo 0.1, simpo 2.0 (ms-swift defaults). */
	beta?: number;
	/** simpo margin, default 1.0 */
	simpo_gamma?: number;
	/** dpo: weight of an NLL term on the chosen responses (RPO); default 0 */
	rpo_alpha?: number;
	/** simpo: weight of the NLL term on the chosen responses; default 1.0 as in ms-swift */
	cpo_alpha?: number;
}

export interface PreferenceResult {
	value: number;
	/** d value / d logps */
	grad: Float64Array;
	metrics: Record<string, number>;
}

const logSigmoid = (z: number) => (z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z)));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export function defaultBeta(type: PreferenceType): number {
	return type === 'simpo' ? 2.0 : 0.1;
}

function rewardMetrics(chosen: number[], rejected: number[], pc: number[], pr: number[]): Record<string, number> {
	return {
		'rewards/chosen': mean(chosen),
		'rewards/rejected': mean(rejected),
		'rewards/accuracies': mean(chosen.map((c, i) => (c > rejected[i] ? 1 : 0))),
		'rewards/margins': mean(chosen.map((c, i) => c - rejected[i])),
		'logps/chosen': mean(pc),
		'logps/rejected': mean(pr)
	};
}

/** NLL over all chosen tokens (token mean) and its gradient into grad[0..n). */
function chosenNll(pc: number[], lc: number[], weight: number, grad: Float64Array): number {
	if (weight === 0) return 0;
	const tokens = lc.reduce((a, b) => a + b, 0);
	for (let i = 0; i < pc.length; i++) grad[i] += -weight / tokens;
	return (-weight * pc.reduce((a, b) => a + b, 0)) / tokens;
}

export function preferenceLoss(config: PreferenceConfig, logps: ArrayLike<number>, lengths: ArrayLike<number>, reference?: ArrayLike<number>): PreferenceResult {
	const n = logps.length / 2;
	const beta = config.beta ?? defaultBeta(config.rlhf_type);
	const pc = Array.from({ length: n }, (_, i) => logps[i]);
	const pr = Array.from({ length: n }, (_, i) => logps[n + i]);
	const lc = Array.from({ length: n }, (_, i) => Math.max(1, lengths[i]));
	const lr = Array.from({ length: n }, (_, i) => Math.max(1, lengths[n + i]));
	const grad = new Float64Array(2 * n);
	let value = 0;
	let chosenReward: number[];
	let rejectedReward: number[];
	if (config.rlhf_type === 'dpo') {
		if (!reference) throw new Error('dpo needs reference log-probabilities');
		chosenReward = pc.map((p, i) => beta * (p - reference[i]));
		rejectedReward = pr.map((p, i) => beta * (p - reference[n + i]));
		for (let i = 0; i < n; i++) {
			const z = chosenReward[i] - rejectedReward[i];
			value += -logSigmoid(z) / n;
			const g = (-beta * sigmoid(-z)) / n;
			grad[i] += g;
			grad[n + i] -= g;
		}
		value += chosenNll(pc, lc, config.rpo_alpha ?? 0, grad);
	} else if (config.rlhf_type === 'orpo') {
		// An average log-probability of exactly 0 (p = 1) would make log(1 - p) infinite.
		const ac = pc.map((p, i) => Math.min(p / lc[i], -1e-7));
		const ar = pr.map((p, i) => Math.min(p / lr[i], -1e-7));
		value += chosenNll(pc, lc, 1, grad);
		for (let i = 0; i < n; i++) {
			// log odds(p) = log p - log(1 - p) with p = exp(avg logp); -expm1 keeps 1 - p accurate near 1.
			const z = ac[i] - ar[i] - (Math.log(-Math.expm1(ac[i])) - Math.log(-Math.expm1(ar[i])));
			value -= (beta * logSigmoid(z)) / n;
			const g = (-beta * sigmoid(-z)) / n;
			grad[i] += (g / -Math.expm1(ac[i])) / lc[i];
			grad[n + i] -= (g / -Math.expm1(ar[i])) / lr[i];
		}
		chosenReward = ac.map((a) => beta * a);
		rejectedReward = ar.map((a) => beta * a);
	} else if (config.rlhf_type === 'simpo') {
		const gamma = config.simpo_gamma ?? 1.0;
		const ac = pc.map((p, i) => p / lc[i]);
		const ar = pr.map((p, i) => p / lr[i]);
		for (let i = 0; i < n; i++) {
			const z = beta * (ac[i] - ar[i]) - gamma;
			value += -logSigmoid(z) / n;
			const g = (-beta * sigmoid(-z)) / n;
			grad[i] += g / lc[i];
			grad[n + i] -= g / lr[i];
		}
		value += chosenNll(pc, lc, config.cpo_alpha ?? 1.0, grad);
		chosenReward = ac.map((a) => beta * a);
		rejectedReward = ar.map((a) => beta * a);
	} else {
		throw new Error(`unknown rlhf_type "${String(config.rlhf_type)}" (dpo, orpo or simpo)`);
	}
	return { value, grad, metrics: rewardMetrics(chosenReward, rejectedReward, pc, pr) };
}
