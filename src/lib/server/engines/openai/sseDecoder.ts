/**
 * Server-sent events from bytes that arrive split anywhere: inside a line, between `\r` and `\n`,
 * inside a UTF-8 character. Lines are joined into events at blank lines (the spec's dispatch); `data:`
 * lines of one event join with `\n`; comments (`:`) and other fields are dropped. Each `push` returns
 * the `data` of the events it completed.
 */
export class SseDecoder {
	private readonly text = new TextDecoder('utf-8');
	private buffer = '';
	private data: string[] = [];
	/** A `\r` ended the last chunk: a `\n` opening the next one belongs to it. */
	private pendingCr = false;

	push(bytes: Uint8Array): string[] {
		return this.lines(this.text.decode(bytes, { stream: true }));
	}

	/** The end of the stream: a last event without its blank line still counts. */
	end(): string[] {
		const out = this.lines(this.text.decode() + '\n\n');
		return out;
	}

	private lines(chunk: string): string[] {
		let input = chunk;
		if (this.pendingCr && input.startsWith('\n')) input = input.slice(1);
		this.pendingCr = false;
		this.buffer += input;
		const events: string[] = [];
		let start = 0;
		for (let i = 0; i < this.buffer.length; i++) {
			const c = this.buffer[i];
			if (c !== '\n' && c !== '\r') continue;
			this.line(this.buffer.slice(start, i), events);
			if (c === '\r') {
				if (i + 1 === this.buffer.length) this.pendingCr = true;
				else if (this.buffer[i + 1] === '\n') i++;
			}
			start = i + 1;
		}
		this.buffer = this.buffer.slice(start);
		return events;
	}

	private line(line: string, events: string[]): void {
		if (line === '') {
			if (this.data.length) events.push(this.data.join('\n'));
			this.data = [];
			return;
		}
		if (line.startsWith(':')) return;
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		if (field !== 'data') return;
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		this.data.push(value);
	}
}
