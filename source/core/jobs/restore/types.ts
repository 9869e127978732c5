/** Shapes shared by the restore phases and reported in the restore's result. */
export type RestoreProblem = {path: string; reason: string};

/** A byte range of a file: where a damaged file has a hole (zeros) instead of its data. */
export type Region = {offset: number; length: number};

export type DamagedFile = {
	/** The path in the generation. */
	path: string;
	/** Where it was written, relative to the restore folder: `<path>.sedai-damaged` unless keepDamagedNames. */
	savedAs: string;
	/** The holes, in file order: zeros where the repository had no good copy of the data. */
	missing: Region[];
};

/** `test`: a drill's private copy (0700 folder, no chown, no setuid/setgid/sticky); `recovery`: the real thing. */
export type RestorePurpose = 'test' | 'recovery';
