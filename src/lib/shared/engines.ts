/**
 * The training engines a server offers, as the Models and Train pages show them. The built-in engine is
 * always there; ms-swift is there when a `swift` executable was found (SWIFTBOARD_SWIFT_BIN or PATH).
 */
export interface SwiftEngineInfo {
	available: boolean;
	/** Where the executable came from; where it lies on the server's disk is not shown. */
	source: 'configured' | 'path' | null;
	/** ms-swift's version (`swift.__version__`), or null when it could not be read. */
	version: string | null;
	/** Why the engine is not available, or why its version is unknown. */
	problem: string | null;
}
