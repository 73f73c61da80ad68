/**
 * The kinds of question in the demo set. An eval groups predictions by `demoQuestionTypeOf(question)`
 * and scores each with `scoreDemoAnswer`, so it can report accuracy per type (shape vs colour vs count).
 */
import { COLOUR_NAMES, COLOUR_NAMES_ZH, DIRECTIONS, PITCHES, POSITIONS, QUARTERS, SHAPES } from './vocabulary';

export type DemoModality = 'image' | 'audio' | 'video';

export interface DemoQuestionType {
	id: string;
	modality: DemoModality;
	description: string;
	/** Every answer this type can have. */
	answers: readonly string[];
	/** One question of this type, as it appears after the media tag. */
	example: string;
	/** The generated set that asks it: the demo set, or the Chinese-answer colour set (colourZh.ts). */
	set: DemoQuestionSet;
}

export type DemoQuestionSet = 'demo' | 'colour_zh';

interface TypeDefinition extends Omit<DemoQuestionType, 'set'> {
	set?: DemoQuestionSet;
	/** Matches the question text (without media tags) of this type and no other. */
	pattern: RegExp;
}

// Plain questions with no "Answer with one word." after them: the answers are learned one word long
// anyway, the rows are a quarter shorter to train on, and the word that matters in "What colour is
// the star?" sits next to where the answer starts.
const ZH_SUFFIX = 'Answer in Chinese.';

export const QUESTION_TEXT = {
	imageShape: 'What shape is in the image?',
	imageColour: 'What colour is the shape?',
	imagePosition: 'Where is the shape: left, right, top, bottom or center?',
	imageCount: 'How many shapes are in the image?',
	imageShapeAt: (quarter: string) => `What shape is at the ${quarter}?`,
	imageColourAt: (quarter: string) => `What colour is the shape at the ${quarter}?`,
	audioCount: 'How many beeps are in the clip?',
	audioPitch: 'Are the beeps low or high in pitch?',
	videoDirection: 'Which way does the shape move: left, right, up or down?',
	videoShape: 'What shape moves in the video?',
	// The Chinese-answer set asks the picture colour questions with one more sentence, so a model
	// tuned on it still answers the plain questions in English.
	imageColourZh: `What colour is the shape? ${ZH_SUFFIX}`,
	imageColourAtZh: (quarter: string) => `What colour is the shape at the ${quarter}? ${ZH_SUFFIX}`
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (text: string) => new RegExp(`^${escape(text)}$`);

const TYPES: TypeDefinition[] = [
	{ id: 'image_shape', modality: 'image', description: 'name the single shape', answers: SHAPES, example: QUESTION_TEXT.imageShape, pattern: exactly(QUESTION_TEXT.imageShape) },
	{ id: 'image_colour', modality: 'image', description: 'name the colour of the single shape', answers: COLOUR_NAMES, example: QUESTION_TEXT.imageColour, pattern: exactly(QUESTION_TEXT.imageColour) },
	{ id: 'image_position', modality: 'image', description: 'say where the single shape sits', answers: POSITIONS, example: QUESTION_TEXT.imagePosition, pattern: exactly(QUESTION_TEXT.imagePosition) },
	{ id: 'image_count', modality: 'image', description: 'count the shapes (1 to 4)', answers: ['1', '2', '3', '4'], example: QUESTION_TEXT.imageCount, pattern: exactly(QUESTION_TEXT.imageCount) },
	{
		id: 'image_shape_at',
		modality: 'image',
		description: 'name the shape in one quarter of a scene of several',
		answers: SHAPES,
		example: QUESTION_TEXT.imageShapeAt('top left'),
		pattern: new RegExp(`^What shape is at the (${QUARTERS.join('|')})\\?$`)
	},
	{
		id: 'image_colour_at',
		modality: 'image',
		description: 'name the colour of the shape in one quarter of a scene of several',
		answers: COLOUR_NAMES,
		example: QUESTION_TEXT.imageColourAt('bottom right'),
		pattern: new RegExp(`^What colour is the shape at the (${QUARTERS.join('|')})\\?$`)
	},
	{ id: 'audio_count', modality: 'audio', description: 'count the beeps (1 to 4)', answers: ['1', '2', '3', '4'], example: QUESTION_TEXT.audioCount, pattern: exactly(QUESTION_TEXT.audioCount) },
	{ id: 'audio_pitch', modality: 'audio', description: 'tell low beeps from high ones', answers: PITCHES, example: QUESTION_TEXT.audioPitch, pattern: exactly(QUESTION_TEXT.audioPitch) },
	{ id: 'video_direction', modality: 'video', description: 'say which way the shape moves', answers: DIRECTIONS, example: QUESTION_TEXT.videoDirection, pattern: exactly(QUESTION_TEXT.videoDirection) },
	{ id: 'video_shape', modality: 'video', description: 'name the moving shape', answers: SHAPES, example: QUESTION_TEXT.videoShape, pattern: exactly(QUESTION_TEXT.videoShape) },
	{
		id: 'image_colour_zh',
		modality: 'image',
		description: 'name the colour of the single shape, or of the shape in a named quarter, in Chinese',
		answers: Object.values(COLOUR_NAMES_ZH),
		example: QUESTION_TEXT.imageColourZh,
		pattern: new RegExp(`^What colour is the shape( at the (${QUARTERS.join('|')}))?\\? ${escape(ZH_SUFFIX)}$`),
		set: 'colour_zh'
	}
];

/** The question types one generated set asks (the demo set's by default). */
export function describeDemoQuestionTypes(set: DemoQuestionSet = 'demo'): DemoQuestionType[] {
	return TYPES.filter((type) => (type.set ?? 'demo') === set).map(({ id, modality, description, answers, example }) => ({ id, modality, description, answers: [...answers], example, set }));
}

/** The type id of a demo question (media tags and surrounding space ignored), or null if it is not one. */
export function demoQuestionTypeOf(userContent: string): string | null {
	const text = userContent.replace(/<(image|audio|video)>/g, '').trim();
	return TYPES.find((type) => type.pattern.test(text))?.id ?? null;
}

const NUMBER_WORDS: Record<string, string> = { one: '1', two: '2', three: '3', four: '4', centre: 'center', color: 'colour' };

/** Lower-cases, drops punctuation (Chinese too) and a leading article, maps number words to digits. */
export function normaliseDemoAnswer(text: string): string {
	const words = text
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s]/gu, ' ')
		.split(/\s+/)
		.filter(Boolean)
		.filter((word, i) => !(i === 0 && (word === 'a' || word === 'an' || word === 'the')));
	return words.map((word) => NUMBER_WORDS[word] ?? word).join(' ');
}

/** True when a prediction says the expected one-word answer. */
export function scoreDemoAnswer(expected: string, predicted: string): boolean {
	return normaliseDemoAnswer(predicted) === normaliseDemoAnswer(expected);
}
