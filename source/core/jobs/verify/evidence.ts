import type {VerifyResult} from '../verify.js';

export type VerificationEvidence = {
	level: 'structure' | 'full' | 'slice';
	ok: boolean;
	/** How old the evidence is: for a completed rolling cycle, when its first slice was read. */
	time: string;
	problemCount: number;
	covered?: number;
};

/**
 * What a verify run is worth as compliance evidence. A rolling slice is not a full read: only
 * the run that completes a cycle counts as one, dated at the cycle's start (its oldest byte) and
 * failed by damage any of its slices found. A slice that finds damage is damage at once.
 */
export function evidenceOf(result: VerifyResult): VerificationEvidence {
	const {slice} = result;
	if (!slice || result.problems.length > 0) {
		return {level: result.level, ok: result.ok, time: result.time, problemCount: result.problems.length};
	}

	return slice.cycleComplete
		? {level: 'full', ok: slice.cycleProblems === 0, time: slice.cycleStarted, problemCount: slice.cycleProblems}
		: {level: 'slice', ok: true, time: result.time, problemCount: 0, covered: slice.covered};
}
