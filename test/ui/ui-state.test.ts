import test from 'ava';
import {initialUiState, uiReducer, type DetailTab, type UiAction, type UiState} from '../../source/ui/state/ui-state.js';

const generation = {repositoryId: 'r', generationId: 'g', label: 'RDX-A', seq: 4};
const browse: DetailTab = {kind: 'browse', id: 'browse:g', generation};
const drive: DetailTab = {kind: 'drive', id: 'drive:sdb', driveName: 'sdb'};
const scratch: DetailTab = {kind: 'scratch', id: 'scratch'};

function run(actions: UiAction[], state: UiState = initialUiState()): UiState {
	return actions.reduce((current, action) => uiReducer(current, action), state);
}

test('closing a tab goes back to the view it was opened from, even with other tabs open to its left', t => {
	const state = run([
		{type: 'openTab', tab: drive},
		{type: 'view', view: 'generations'},
		{type: 'openTab', tab: browse},
		{type: 'closeTab'},
	]);
	t.is(state.activeTab, 'view');
	t.is(state.view, 'generations', 'the sidebar and the editor agree again');
	t.deepEqual(state.tabs.map(tab => tab.id), [drive.id]);
});

test('closing a tab opened from another tab returns to that tab; if that one is gone, to its neighbour', t => {
	const fromTab = run([
		{type: 'view', view: 'drills'},
		{type: 'openTab', tab: scratch},
		{type: 'openTab', tab: browse},
		{type: 'closeTab'},
	]);
	t.is(fromTab.activeTab, scratch.id);

	const originGone = run([
		{type: 'openTab', tab: drive},
		{type: 'openTab', tab: scratch},
		{type: 'openTab', tab: browse},
		{type: 'closeTab', id: scratch.id},
		{type: 'closeTab'},
	]);
	t.is(originGone.activeTab, drive.id);
	t.deepEqual(originGone.origins, {[drive.id]: {tab: 'view', view: 'drives'}});
});
