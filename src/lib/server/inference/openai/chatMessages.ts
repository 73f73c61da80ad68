import type { ChatTurn, MediaKind } from './backend';
import { readInputAudio, readMediaValue, type MediaValue } from './mediaValue';
import { OpenAIError } from './openaiError';
import type { ChatCompletionRequest, ContentPart } from './requestSchema';

/** Most media items one request may carry. */
export const MAX_MEDIA_ITEMS = 64;

const kinds: readonly MediaKind[] = ['image', 'audio', 'video'];
const listName: Record<MediaKind, 'images' | 'audios' | 'videos'> = { image: 'images', audio: 'audios', video: 'videos' };
const tagPattern = /<(image|audio|video)>/g;

/**
 * The request's messages as the inference contract wants them: plain text turns where every media
 * part became its tag (`<image>`, `<audio>`, `<video>`), joined as ms-swift joins parts (no
 * separator), and the media in tag order, so the n-th tag of a kind is the n-th item of that kind.
 * A tag the client wrote in the text itself takes the next item of ms-swift's top-level list of
 * that kind (`images`, `audios`, `videos`); a list must have exactly as many items as such tags.
 */
export function toChatTurns(request: ChatCompletionRequest, maxMediaBytes: number): { turns: ChatTurn[]; media: MediaValue[] } {
	const media: MediaValue[] = [];
	const listed = { image: request.images ?? [], audio: request.audios ?? [], video: request.videos ?? [] };
	const taken = { image: 0, audio: 0, video: 0 };

	const add = (item: MediaValue) => {
		if (media.length >= MAX_MEDIA_ITEMS) throw OpenAIError.invalid(`A request may carry at most ${MAX_MEDIA_ITEMS} media items.`, item.param);
		media.push(item);
	};
	/** Literal tags in client text draw from the top-level lists, in order. */
	const text = (value: string, param: string): string => {
		for (const match of value.matchAll(tagPattern)) {
			const kind = match[1] as MediaKind;
			const list = listName[kind];
			const index = taken[kind]++;
			if (index >= listed[kind].length) {
				throw OpenAIError.invalid(`${param} has more <${kind}> tags than the request's "${list}" list has items (${listed[kind].length}).`, param);
			}
			add(readMediaValue(listed[kind][index], kind, `${list}[${index}]`, maxMediaBytes));
		}
		return value;
	};
	const part = (p: ContentPart, param: string): string => {
		switch (p.type) {
			case 'text':
				return text(p.text, `${param}.text`);
			case 'image_url':
				add(readMediaValue(p.image_url, 'image', `${param}.image_url.url`, maxMediaBytes));
				return '<image>';
			case 'audio_url':
				add(readMediaValue(p.audio_url, 'audio', `${param}.audio_url.url`, maxMediaBytes));
				return '<audio>';
			case 'video_url':
				add(readMediaValue(p.video_url, 'video', `${param}.video_url.url`, maxMediaBytes));
				return '<video>';
			case 'input_audio':
				add(readInputAudio(p.input_audio.data, p.input_audio.format, `${param}.input_audio`, maxMediaBytes));
				return '<audio>';
			case 'image':
				add(readMediaValue(p.image, 'image', `${param}.image`, maxMediaBytes));
				return '<image>';
			case 'audio':
				add(readMediaValue(p.audio, 'audio', `${param}.audio`, maxMediaBytes));
				return '<audio>';
			case 'video':
				add(readMediaValue(p.video, 'video', `${param}.video`, maxMediaBytes));
				return '<video>';
		}
	};

	const turns = request.messages.map((message, i): ChatTurn => {
		const content =
			typeof message.content === 'string'
				? text(message.content, `messages[${i}].content`)
				: message.content.map((p, j) => part(p, `messages[${i}].content[${j}]`)).join('');
		return { role: message.role, content };
	});
	for (const kind of kinds) {
		if (taken[kind] < listed[kind].length) {
			const list = listName[kind];
			throw OpenAIError.invalid(
				`The "${list}" list has ${listed[kind].length} item(s) but the messages have ${taken[kind]} <${kind}> tag(s); write one tag where each goes.`,
				list
			);
		}
	}
	return { turns, media };
}
