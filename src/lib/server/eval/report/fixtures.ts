import type { MetricInfo, ScoredSample } from './aggregate';

/**
 * A small scored eval for the report tests, shaped like the demo set (question types as tags, media per row).
 *   category vision: subset shape (3 image samples: 1, 0, 1), subset colour (1 sample with an image and audio: 0)
 *   category audio:  subset count (2 audio samples: 1, 1)
 */
export const ACCURACY: MetricInfo = { name: 'accuracy', convention: 'SQuAD-normalised match', range: 'fraction', higherIsBetter: true };

const sample = (category: string, subset: string, score: number, media: ScoredSample['media'], type?: string): ScoredSample => ({
	category: [category],
	subset,
	media,
	tags: type === undefined ? {} : { type },
	prediction: score === 1 ? 'circle' : 'square',
	references: ['circle'],
	scores: { accuracy: score }
});

export const SAMPLES: ScoredSample[] = [
	sample('vision', 'shape', 1, { images: ['a.png'] }, 'image_shape'),
	sample('vision', 'shape', 0, { images: ['b.png'] }, 'image_shape'),
	sample('vision', 'shape', 1, { images: 1 }, 'image_shape'),
	sample('vision', 'colour', 0, { images: 1, audios: 1 }, 'image_colour'),
	sample('audio', 'count', 1, { audios: ['c.wav'] }, 'audio_count'),
	sample('audio', 'count', 1, { audios: 1 })
];
