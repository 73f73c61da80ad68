import path from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';

/** Every file entry of a zip held in memory, by name. */
export function readZip(buffer: Buffer): Promise<Map<string, Buffer>> {
	return new Promise((resolve, reject) => {
		yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
			if (error) return reject(error);
			const files = new Map<string, Buffer>();
			zip.on('entry', (entry: yauzl.Entry) => {
				if (entry.fileName.endsWith('/')) return zip.readEntry();
				zip.openReadStream(entry, (streamError, stream) => {
					if (streamError) return reject(streamError);
					const chunks: Buffer[] = [];
					stream.on('data', (chunk: Buffer) => chunks.push(chunk));
					stream.on('end', () => {
						files.set(entry.fileName, Buffer.concat(chunks));
						zip.readEntry();
					});
				});
			});
			zip.on('end', () => resolve(files));
			zip.on('error', reject);
			zip.readEntry();
		});
	});
}

/** A zip holding `files` in one folder named `folder`, as a user zips a model folder. */
export function zipFolder(folder: string, files: string[]): Promise<Buffer> {
	const zip = new yazl.ZipFile();
	for (const file of files) zip.addFile(file, `${folder}/${path.basename(file)}`);
	zip.end();
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
		zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
		zip.outputStream.on('error', reject);
	});
}
