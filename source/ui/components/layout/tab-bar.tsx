import {memo} from 'react';
import {useI18n, type Translate} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import type {DetailTab, UiState} from '../../state/ui-state.js';
import {textWidth} from '../../../text/format.js';
import {Row, type Segment} from '../row.js';

/** Editor tabs: the main view first, then detail tabs (files, diffs, drive details). */
export function tabTitle(tab: DetailTab, t: Translate): string {
	switch (tab.kind) {
		case 'browse': {
			return t('tab.browse', {label: tab.generation.label, seq: tab.generation.seq});
		}

		case 'diff': {
			return t('tab.diff', {before: `${tab.before.label} #${tab.before.seq}`, after: `${tab.after.label === tab.before.label ? '' : `${tab.after.label} `}#${tab.after.seq}`});
		}

		case 'drive': {
			return t('tab.drive', {name: tab.driveName});
		}

		case 'report': {
			return t('tab.report', {label: tab.report.medium.label, seq: tab.report.generation.seq});
		}

		case 'scratch': {
			return t('tab.scratch');
		}
	}
}

function TabBarLines({state, width}: {state: UiState; width: number}) {
	const {t} = useI18n();
	const {symbols} = useTheme();
	const titles = [{id: 'view', title: t(`view.${state.view}`)}, ...state.tabs.map(tab => ({id: tab.id, title: tabTitle(tab, t)}))];
	const activeIndex = Math.max(0, titles.findIndex(tab => tab.id === state.activeTab));
	// Drop tabs from the left until the active one fits.
	let first = 0;
	const widthFrom = (start: number) => titles.slice(start, activeIndex + 1).reduce((sum, tab) => sum + textWidth(tab.title) + 3, 0);
	while (first < activeIndex && widthFrom(first) > width - 2) {
		first++;
	}

	const segments: Segment[] = first > 0 ? [{text: symbols.ellipsis, color: 'muted'}] : [];
	for (const [index, tab] of titles.entries()) {
		if (index < first) {
			continue;
		}

		const active = tab.id === state.activeTab;
		segments.push(
			active ? {text: `[${tab.title}]`, bold: true, color: 'accent'} : {text: ` ${tab.title} `, color: 'muted'},
			{text: symbols.vertical, color: 'muted'},
		);
	}

	return <Row width={width} segments={segments}/>;
}

/** Memoised: a progress tick re-renders the shell, and this part only when its props change. */
export const TabBar = memo(TabBarLines);
