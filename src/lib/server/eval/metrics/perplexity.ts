/**
 * Mean loss and perplexity from per-token log-probabilities (natural log, as inference servers return them).
 * A sample's loss is the mean negative log-probability of its tokens and its perplexity exp(loss). The corpus
 * values weight every token equally (exp of the mean loss over all tokens, as language-model evaluations
 * report perplexity), which differs from the mean of per-sample perplexities when samples differ in length.
 */

export const PERPLEXITY_CONVENTION = 'perplexity = exp(mean token NLL, natural log); corpus value token-weighted over all samples';
export const LOSS_CONVENTION = 'mean token negative log-likelihood (nats); corpus value token-weighted over all samples';

export interface PerplexityResult {
	tokens: number;
	/** Mean negative log-likelihood per token, in nats. */
	loss: number;
	perplexity: number;
}

// Rounding in a server's softmax can leave a log-probability a hair above zero; anything larger is an error.
const LOG_PROB_TOLERANCE = 1e-6;

function checkLogProbs(logProbs: readonly number[], sample: number): void {
	if (logProbs.length === 0) throw new RangeError(`sample ${sample} has no token log-probabilities`);
	logProbs.forEach((value, token) => {
		if (!Number.isFinite(value) || value > LOG_PROB_TOLERANCE) {
			throw new RangeError(`sample ${sample} token ${token}: log-probability must be a finite number <= 0, got ${value}`);
		}
	});
}

const sumNll = (logProbs: readonly number[]) => logProbs.reduce((sum, value) => sum - Math.min(value, 0), 0);

/** Loss and perplexity of one sample's tokens. */
export function samplePerplexity(logProbs: readonly number[], sample = 0): PerplexityResult {
	checkLogProbs(logProbs, sample);
	const loss = sumNll(logProbs) / logProbs.length;
	return { tokens: logProbs.length, loss, perplexity: Math.exp(loss) };
}

/** Token-weighted loss and perplexity over every sample's tokens. */
export function corpusPerplexity(samples: readonly (readonly number[])[]): PerplexityResult {
	if (samples.length === 0) throw new RangeError('perplexity needs at least one sample');
	let tokens = 0;
	let nll = 0;
	samples.forEach((logProbs, sample) => {
		checkLogProbs(logProbs, sample);
		tokens += logProbs.length;
		nll += sumNll(logProbs);
	});
	const loss = nll / tokens;
	return { tokens, loss, perplexity: Math.exp(loss) };
}
