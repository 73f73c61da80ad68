/** Microphone recording and camera snapshots, where the browser allows them (secure contexts only). */

export function canRecord(): boolean {
	return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && typeof MediaRecorder !== 'undefined';
}

export interface Recording {
	/** Ends the recording; resolves with the sound as a file. */
	stop(): Promise<File>;
	cancel(): void;
}

export async function recordMicrophone(): Promise<Recording> {
	const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
	const recorder = new MediaRecorder(stream);
	const chunks: Blob[] = [];
	recorder.ondataavailable = (event) => chunks.push(event.data);
	recorder.start();
	const release = () => stream.getTracks().forEach((t) => t.stop());
	return {
		stop: () =>
			new Promise<File>((resolve) => {
				recorder.onstop = () => {
					release();
					const type = recorder.mimeType || 'audio/webm';
					resolve(new File(chunks, `recording-${new Date().toISOString().slice(11, 19).replaceAll(':', '')}.${type.includes('ogg') ? 'ogg' : 'webm'}`, { type: type.split(';')[0] }));
				};
				recorder.stop();
			}),
		cancel: () => {
			recorder.onstop = release;
			recorder.stop();
		}
	};
}

/** One still picture from the camera, as a PNG file. */
export async function snapshotCamera(): Promise<File> {
	const stream = await navigator.mediaDevices.getUserMedia({ video: true });
	try {
		const video = document.createElement('video');
		video.muted = true;
		video.srcObject = stream;
		await video.play();
		const canvas = document.createElement('canvas');
		canvas.width = video.videoWidth;
		canvas.height = video.videoHeight;
		canvas.getContext('2d')!.drawImage(video, 0, 0);
		const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The camera gave no picture.'))), 'image/png'));
		return new File([blob], `camera-${Date.now()}.png`, { type: 'image/png' });
	} finally {
		stream.getTracks().forEach((t) => t.stop());
	}
}
