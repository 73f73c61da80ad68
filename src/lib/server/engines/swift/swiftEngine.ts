import type { SwiftEngineInfo } from '../../../shared/engines';
import { HttpError } from '../../http/httpError';
import { locateSwift, readSwiftVersion, type LocatedSwift } from './swiftBinary';

export interface SwiftEngineOptions {
	/** SWIFTBOARD_SWIFT_BIN, or null to search PATH. */
	bin: string | null;
	stopGraceMs: number;
}

/**
 * The ms-swift engine as this server has it: the executable (found once, at start) and its version
 * (read once in the background). Runs on the swift engine are refused while there is no executable.
 */
export class SwiftEngine {
	private readonly located: LocatedSwift | { problem: string };
	private version: string | null = null;
	private versionProblem: string | null = null;
	readonly ready: Promise<void>;

	constructor(readonly options: SwiftEngineOptions) {
		this.located = locateSwift(options.bin);
		this.ready =
			'bin' in this.located
				? readSwiftVersion(this.located.bin).then((answer) => {
						if ('version' in answer) this.version = answer.version;
						else this.versionProblem = answer.problem;
					})
				: Promise.resolve();
	}

	info(): SwiftEngineInfo {
		if (!('bin' in this.located)) return { available: false, source: null, version: null, problem: this.located.problem };
		return { available: true, source: this.located.source, version: this.version, problem: this.versionProblem };
	}

	/** The executable a swift run's job starts; a 400 naming `engine` when there is none. */
	requireBin(): string {
		if ('bin' in this.located) return this.located.bin;
		throw new HttpError('invalid_request', `The swift engine is not available here. ${this.located.problem}`, { engine: 'ms-swift is not installed' });
	}
}
