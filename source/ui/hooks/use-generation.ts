import {useEffect, useState} from 'react';
import type {LoadedGeneration} from '../../core/repository/generations.js';
import type {GenerationRef} from '../state/ui-state.js';
import {useSession} from '../state/ui-context.js';

/** Load a generation's manifest (may ask for the passphrase); error as one sentence. */
export type Loaded = {loading: boolean; generation?: LoadedGeneration; error?: string};

export function useGeneration(ref: GenerationRef | undefined): Loaded {
	const session = useSession();
	const [state, setState] = useState<Loaded>({loading: Boolean(ref)});
	useEffect(() => {
		if (!ref) {
			setState({loading: false});
			return undefined;
		}

		let live = true;
		setState({loading: true});
		session.loadGeneration(ref.repositoryId, ref.generationId).then(generation => {
			if (live) {
				setState({loading: false, generation});
			}
		}, (error: unknown) => {
			if (live) {
				setState({loading: false, error: error instanceof Error ? error.message : String(error)});
			}
		});
		return () => {
			live = false;
		};
	}, [session, ref?.repositoryId, ref?.generationId]);
	return state;
}
