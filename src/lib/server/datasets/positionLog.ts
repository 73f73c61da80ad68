/**
 * A compact, growable log of row positions (file index + line) with a few flag bits each: 5 bytes a row,
 * so even millions of rows remembered for a late decision stay small.
 */
export class PositionLog {
	private lines = new Uint32Array(1024);
	private flags = new Uint8Array(1024);
	/** Where each file's entries start, as [fileIndex, firstEntry] pairs: rows arrive file by file. */
	private readonly fileStarts: [number, number][] = [];
	length = 0;

	push(fileIndex: number, line: number, flags: number): void {
		if (this.length === this.lines.length) this.grow();
		const lastFile = this.fileStarts[this.fileStarts.length - 1];
		if (!lastFile || lastFile[0] !== fileIndex) this.fileStarts.push([fileIndex, this.length]);
		this.lines[this.length] = line;
		this.flags[this.length] = flags;
		this.length++;
	}

	*entries(): Generator<{ fileIndex: number; line: number; flags: number }> {
		for (let f = 0; f < this.fileStarts.length; f++) {
			const [fileIndex, start] = this.fileStarts[f];
			const end = f + 1 < this.fileStarts.length ? this.fileStarts[f + 1][1] : this.length;
			for (let i = start; i < end; i++) yield { fileIndex, line: this.lines[i], flags: this.flags[i] };
		}
	}

	private grow(): void {
		const lines = new Uint32Array(this.lines.length * 2);
		lines.set(this.lines);
		this.lines = lines;
		const flags = new Uint8Array(this.flags.length * 2);
		flags.set(this.flags);
		this.flags = flags;
	}
}
