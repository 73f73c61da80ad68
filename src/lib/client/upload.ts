export interface UploadProgress {
	loaded: number;
	total: number;
	/** Bytes per second over the upload so far. */
	speed: number;
	/** Seconds left at that speed; null until it can be told. */
	secondsLeft: number | null;
}

export interface UploadHandle<T> {
	done: Promise<{ status: number; body: T }>;
	cancel(): void;
}

/**
 * Sends a multipart form with XMLHttpRequest, the one browser API that reports upload progress.
 * Resolves with the status and JSON body whatever the status; rejects on network failure or cancel.
 */
export function uploadForm<T>(url: string, form: FormData, onProgress: (progress: UploadProgress) => void): UploadHandle<T> {
	const xhr = new XMLHttpRequest();
	const started = performance.now();
	const done = new Promise<{ status: number; body: T }>((resolve, reject) => {
		xhr.upload.onprogress = (event) => {
			const seconds = (performance.now() - started) / 1000;
			const speed = seconds > 0 ? event.loaded / seconds : 0;
			const total = event.lengthComputable ? event.total : 0;
			onProgress({ loaded: event.loaded, total, speed, secondsLeft: speed > 0 && total ? (total - event.loaded) / speed : null });
		};
		xhr.onload = () => {
			let body: unknown = null;
			try {
				body = JSON.parse(xhr.responseText);
			} catch {
				body = { error: { code: 'http_error', message: `The server answered ${xhr.status}.` } };
			}
			resolve({ status: xhr.status, body: body as T });
		};
		xhr.onerror = () => reject(new Error('The upload failed: the connection was lost.'));
		xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
	});
	xhr.open('POST', url);
	xhr.send(form);
	return { done, cancel: () => xhr.abort() };
}
