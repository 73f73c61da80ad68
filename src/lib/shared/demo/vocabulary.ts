/** A colour as 8-bit red, green and blue. */
export type Rgb = readonly [number, number, number];

/** The words answers are drawn from; kept apart so questions and scoring agree on them. */
export const SHAPES = ['circle', 'square', 'triangle', 'star'] as const;
export type ShapeName = (typeof SHAPES)[number];

export const COLOURS = {
	red: [220, 30, 30],
	green: [30, 160, 50],
	blue: [30, 70, 220],
	yellow: [240, 200, 20],
	purple: [140, 40, 170],
	orange: [245, 130, 20]
} as const satisfies Record<string, Rgb>;
export type ColourName = keyof typeof COLOURS;
export const COLOUR_NAMES = Object.keys(COLOURS) as ColourName[];

/** The colours' names in Chinese, for the Chinese-answer colour set (colourZh.ts). */
export const COLOUR_NAMES_ZH: Record<ColourName, string> = { red: '红色', green: '绿色', blue: '蓝色', yellow: '黄色', purple: '紫色', orange: '橙色' };

export const POSITIONS = ['left', 'right', 'top', 'bottom', 'center'] as const;
export type PositionName = (typeof POSITIONS)[number];

/** The four quarters of a picture with several shapes, one shape at most in each. */
export const QUARTERS = ['top left', 'top right', 'bottom left', 'bottom right'] as const;
export type QuarterName = (typeof QUARTERS)[number];

export const DIRECTIONS = ['left', 'right', 'up', 'down'] as const;
export type DirectionName = (typeof DIRECTIONS)[number];

export const PITCHES = ['low', 'high'] as const;
export type PitchName = (typeof PITCHES)[number];

export const BACKGROUND: Rgb = [250, 250, 250];
