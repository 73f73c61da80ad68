import type { ChatTurn, GenerationResult, InferenceModel, MediaInput, MediaKindName, Sampling } from '../../../shared/inference';

/**
 * What the OpenAI layer needs of the inference service (`app.inference`), in the contract's types:
 * the one seam between the two, so the layer's tests can hand in a recorder of what it was asked
 * while the integration tests drive the real service.
 */
export type { ChatTurn, GenerationResult, MediaInput };
export type MediaKind = MediaKindName;
export type SamplingRequest = Sampling;
export type ServedModel = Pick<InferenceModel, 'id' | 'name' | 'modalities' | 'kind'> & Partial<Pick<InferenceModel, 'servable' | 'reason'>>;

export interface ChatBackend<User> {
	generate(
		request: { modelId: string; messages: ChatTurn[]; media: MediaInput[]; sampling: SamplingRequest },
		user: User,
		callbacks: { onDelta?(text: string): void; signal?: AbortSignal }
	): Promise<GenerationResult>;
	models(): ServedModel[];
}
