import type { MediaKind } from '../dataset';

const tagOf: Record<MediaKind, string> = { image: '<image>', audio: '<audio>', video: '<video>' };

/**
 * A user turn's text as the model and the dataset rows see it: one tag per attachment, in attachment
 * order, ahead of the text (where ms-swift's deploy server puts content parts that come before the text).
 * The n-th tag of a kind takes the n-th media item of that kind across the conversation.
 */
export function withMediaTags(message: { content: string; attachments: readonly { kind: MediaKind }[] }): string {
	return message.attachments.map((a) => tagOf[a.kind]).join('') + message.content;
}
