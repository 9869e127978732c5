import {memo} from 'react';
import type {UiState} from '../../state/ui-state.js';
import {DrivesView, DriveTab} from '../../views/drives-view.js';
import {BackupView} from '../../views/backup-view.js';
import {GenerationsView} from '../../views/generations-view.js';
import {RestoreView} from '../../views/restore-view.js';
import {VerifyView} from '../../views/verify-view.js';
import {SettingsView} from '../../views/settings-view.js';
import {ComplianceView} from '../../views/compliance-view.js';
import {DrillsView} from '../../views/drills-view.js';
import {BrowseTab} from '../../views/browse-tab.js';
import {DiffTab} from '../../views/diff-tab.js';
import {ReportTab} from '../../views/report-tab.js';
import {ScratchTab} from '../../views/scratch-tab.js';

/** The active tab's content: the main view or a detail tab. */
function EditorLines({state, width, height, focused}: {state: UiState; width: number; height: number; focused: boolean}) {
	const props = {width, height, focused};
	const tab = state.tabs.find(item => item.id === state.activeTab);
	if (tab) {
		switch (tab.kind) {
			case 'browse': {
				return <BrowseTab key={tab.id} {...props} tabId={tab.id} generation={tab.generation}/>;
			}

			case 'diff': {
				return <DiffTab key={tab.id} {...props} tabId={tab.id} before={tab.before} after={tab.after}/>;
			}

			case 'drive': {
				return <DriveTab key={tab.id} {...props} driveName={tab.driveName}/>;
			}

			case 'report': {
				return <ReportTab key={tab.id} {...props} tabId={tab.id} report={tab.report}/>;
			}

			case 'scratch': {
				return <ScratchTab key={tab.id} {...props} tabId={tab.id}/>;
			}
		}
	}

	switch (state.view) {
		case 'drives': {
			return <DrivesView {...props}/>;
		}

		case 'backup': {
			return <BackupView {...props}/>;
		}

		case 'generations': {
			return <GenerationsView {...props}/>;
		}

		case 'restore': {
			return <RestoreView {...props}/>;
		}

		case 'verify': {
			return <VerifyView {...props}/>;
		}

		case 'settings': {
			return <SettingsView {...props}/>;
		}

		case 'compliance': {
			return <ComplianceView {...props}/>;
		}

		case 'drills': {
			return <DrillsView {...props}/>;
		}
	}
}

/** Memoised: a progress tick re-renders the shell, and this part only when its props change. */
export const Editor = memo(EditorLines);
