/**
 * The Slaney mel scale (librosa's default, `htk=False`, and Whisper's): linear below 1 kHz at
 * 3 mels per 200 Hz, logarithmic above with 27 mels per factor of 6.4.
 */
const LINEAR_HZ_PER_MEL = 200 / 3;
const BREAK_HZ = 1000;
const BREAK_MEL = BREAK_HZ / LINEAR_HZ_PER_MEL; // 15
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number): number {
	if (hz < BREAK_HZ) return hz / LINEAR_HZ_PER_MEL;
	return BREAK_MEL + Math.log(hz / BREAK_HZ) / LOG_STEP;
}

export function melToHz(mel: number): number {
	if (mel < BREAK_MEL) return mel * LINEAR_HZ_PER_MEL;
	return BREAK_HZ * Math.exp(LOG_STEP * (mel - BREAK_MEL));
}
