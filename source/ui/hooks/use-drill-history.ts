import {useEffect, useState} from 'react';
import type {DrillHistory} from '../../app/operations/drill/history.js';
import type {ScratchListing} from '../../app/operations/scratch.js';
import {useSession} from '../state/ui-context.js';
import {useSnapshot} from './use-live.js';

/**
 * The drill history and the scratch folder's leftovers, read again whenever the session looked
 * again (a drill ended, a medium came online) or `reload()` asks (after a deletion).
 */
export type DrillData = {loading: boolean; history?: DrillHistory; scratch?: ScratchListing; error?: string; reload: () => void};

export function useDrillHistory(): DrillData {
	const session = useSession();
	const snapshot = useSnapshot();
	const [round, setRound] = useState(0);
	const [state, setState] = useState<Omit<DrillData, 'reload'>>({loading: true});
	// Read again when what it depends on changed, not on every look (reading the media takes a while).
	const online = snapshot.targets.filter(target => target.online && target.repositoryId).map(target => target.repositoryId).sort((a, b) => String(a).localeCompare(String(b))).join(',');
	useEffect(() => {
		let live = true;
		void (async () => {
			try {
				// What this machine keeps shows at once; the media's sealed copies follow (opening them takes a while).
				const [local, scratch] = await Promise.all([session.drillHistory({media: false}), session.scratch().catch(() => undefined)]);
				if (live) {
					setState({loading: false, history: local, ...(scratch ? {scratch} : {})});
				}

				const history = await session.drillHistory();
				if (live) {
					setState({loading: false, history, ...(scratch ? {scratch} : {})});
				}
			} catch (error) {
				if (live) {
					setState(previous => ({...previous, loading: false, error: error instanceof Error ? error.message : String(error)}));
				}
			}
		})();

		return () => {
			live = false;
		};
	}, [session, online, snapshot.drills.length, round]);
	return {...state, reload() {
		setRound(value => value + 1);
	}};
}
