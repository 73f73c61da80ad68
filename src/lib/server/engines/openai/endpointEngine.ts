import type { GenerationResult } from '../../../shared/inference';
import type { StoredEndpoint } from '../../db/endpoints';
import { HttpError } from '../../http/httpError';
import { GenerationClock } from '../../inference/generationClock';
import type { GenerateCallbacks, GenerateRequest } from '../../inference/inferenceService';
import { streamChat } from './chatStream';
import { UpstreamError } from './endpointHttp';
import type { EndpointService } from './endpointService';
import { chatMessages, chatRequestBody } from './requestBody';

/**
 * Generation on a registered endpoint, with the built-in engine's contract: the same deltas, the same
 * GenerationResult (usage from the server where it sends it, timings measured here the same way), and a
 * cancel that resolves at once with what came so far. Media go inline as data URLs in the endpoint's style.
 */
export class EndpointEngine {
	constructor(private readonly endpoints: EndpointService) {}

	/** Checks what can be checked before any request: the media kinds the endpoint reads. */
	check(endpoint: StoredEndpoint, request: Pick<GenerateRequest, 'media'>): void {
		request.media.forEach((m, i) => {
			if (!endpoint.modalities.includes(m.kind)) {
				throw new HttpError('invalid_request', `Attachment ${i + 1} is ${m.kind === 'image' ? 'an' : 'a'} ${m.kind}; endpoint "${endpoint.name}" reads ${endpoint.modalities.join(', ')} only.`, { [`media.${i}`]: `This endpoint does not read ${m.kind}` });
			}
			if (m.kind === 'video' && endpoint.mediaStyle === 'openai') {
				throw new HttpError('invalid_request', `Endpoint "${endpoint.name}" uses OpenAI-style media, which carry no video; an admin can set its media style to vLLM / ms-swift.`, { [`media.${i}`]: 'No video in this media style' });
			}
		});
	}

	async generate(endpoint: StoredEndpoint, request: GenerateRequest, callbacks: GenerateCallbacks = {}, clock = new GenerationClock()): Promise<GenerationResult> {
		this.check(endpoint, request);
		const messages = await chatMessages(request.messages, request.media, endpoint.mediaStyle, endpoint.name);
		const body = chatRequestBody(endpoint.model, messages, request.sampling, endpoint.mediaStyle);
		let answer;
		try {
			answer = await streamChat(this.endpoints.target(endpoint), body, this.endpoints.timeouts, {
				signal: callbacks.signal,
				onDelta: (text) => {
					clock.token();
					callbacks.onDelta?.(text);
				}
			});
		} catch (error) {
			// The server is down or broke off (not a request it refused): the Models page should show it.
			if (error instanceof UpstreamError && (error.upstreamStatus === null || error.upstreamStatus >= 500)) this.endpoints.observed(endpoint.id, false, error.message);
			throw error;
		}
		this.endpoints.observed(endpoint.id, true, null);
		const completion = answer.usage?.completion_tokens ?? answer.pieces;
		clock.token();
		return {
			text: answer.text,
			finishReason: answer.cancelled ? 'cancelled' : answer.finishReason === 'length' ? 'length' : 'stop',
			usage: { prompt_tokens: answer.usage?.prompt_tokens ?? 0, completion_tokens: completion },
			timings: clock.timings(completion)
		};
	}
}
