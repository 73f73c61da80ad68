import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { locateSwift, readSwiftVersion, versionQuery } from './swiftBinary';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/swift/swift');

function script(shebang: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swift-bin-'));
	const file = path.join(dir, 'swift');
	fs.writeFileSync(file, `${shebang}\nprint("hi")\n`, { mode: 0o755 });
	return file;
}

describe('the swift executable', () => {
	it('asks the Python of a console script for swift.__version__, as ms-swift has no --version', () => {
		expect(versionQuery(script('#!/opt/conda/bin/python3.10'))).toEqual({ file: '/opt/conda/bin/python3.10', args: ['-c', 'import swift; print(swift.__version__)'] });
		expect(versionQuery(script('#!/usr/bin/env python3'))).toEqual({ file: '/usr/bin/env', args: ['python3', '-c', 'import swift; print(swift.__version__)'] });
		// Another launcher (a site wrapper, the test double) answers --version.
		expect(versionQuery(fixture)).toEqual({ file: fixture, args: ['--version'] });
	});

	it('reads the version, and says why when it cannot', async () => {
		expect(await readSwiftVersion(fixture)).toEqual({ version: '4.6.0' });
		const broken = script('#!/bin/sh\necho "Traceback: KeyError: \'--version\'" >&2; exit 1');
		expect(await readSwiftVersion(broken)).toMatchObject({ problem: expect.stringMatching(/KeyError/) });
	});

	it('takes the configured path, else PATH, and names what is missing', () => {
		expect(locateSwift(fixture)).toEqual({ bin: fixture, source: 'configured' });
		expect(locateSwift('/no/such/swift')).toMatchObject({ problem: expect.stringMatching(/SWIFTBOARD_SWIFT_BIN/) });
		expect(locateSwift(null, path.dirname(fixture))).toEqual({ bin: fixture, source: 'path' });
		expect(locateSwift(null, '/no/such/dir')).toMatchObject({ problem: expect.stringMatching(/PATH/) });
	});
});
