import {useI18n} from '../../i18n/i18n.js';
import {useTheme} from '../../theme/theme.js';
import {useLive} from '../../hooks/use-live.js';
import {ago} from '../../age.js';
import {keyLabel, keymap, type Scope} from '../../keymap/keymap.js';
import {Row, type Segment} from '../row.js';
import {useSession} from '../../state/ui-context.js';
import {textWidth, truncateEnd} from '../../../text/format.js';
import {clockOf} from '../../views/plan-schedule.js';

/** How much to leave out when the bar is too narrow, least important first. */
type Squeeze = {onlineAsCount: boolean; next: boolean};
const squeezes: Squeeze[] = [{onlineAsCount: false, next: true}, {onlineAsCount: true, next: false}];

/**
 * Site, media online and offline, age of the newest sealed generation, the last and next plan
 * run, jobs. At 80 columns the offline cartridge, the newest backup's age and the last night's
 * result matter most: the online list becomes a count, then the site name is shortened (or left
 * out) before any of them is cut.
 */
export function StatusBar({width, now: fixedNow}: {width: number; now?: number}) {
	const {t} = useI18n();
	const session = useSession();
	const now = fixedNow ?? session.now().getTime();
	const {symbols, ellipsis} = useTheme();
	const {snapshot, jobs} = useLive();
	const separator: Segment = {text: ` ${symbols.vertical} `, color: 'muted'};
	const widthOf = (segments: Segment[]) => textWidth(segments.map(segment => segment.text).join(''));
	const running = jobs.filter(job => job.state === 'running').length;
	let rest: Segment[] = [];
	for (const squeeze of squeezes) {
		rest = statusSegments({snapshot, running, now, t, symbols, separator, squeeze, width: width - textWidth(` ${snapshot.settings.site}`) - textWidth(separator.text)});
		if (widthOf(rest) + textWidth(` ${snapshot.settings.site}`) + textWidth(separator.text) <= width) {
			break;
		}
	}

	// The site gets what is left: shortened with an ellipsis, or left out below a few columns.
	const room = width - widthOf(rest) - textWidth(separator.text) - 1;
	const site = room >= 6 ? truncateEnd(snapshot.settings.site, room, ellipsis) : '';
	const head: Segment[] = site ? [{text: ` ${site}`, bold: true}, separator] : [{text: ' '}];
	return <Row width={width} inverse={false} segments={[...head, ...rest]}/>;
}

type StatusInput = {
	snapshot: ReturnType<typeof useLive>['snapshot'];
	running: number;
	now: number;
	t: ReturnType<typeof useI18n>['t'];
	symbols: ReturnType<typeof useTheme>['symbols'];
	separator: Segment;
	squeeze: Squeeze;
	width: number;
};

function statusSegments({snapshot, running, now, t, symbols, separator, squeeze, width}: StatusInput): Segment[] {
	const online = snapshot.targets.filter(target => target.online && target.repositoryId);
	const offline = snapshot.targets.filter(target => !target.online && target.record);
	const segments: Segment[] = [];
	if (online.length > 0) {
		segments.push({text: squeeze.onlineAsCount ? `${symbols.online} ${online.length}` : online.map(target => `${symbols.online} ${target.label}`).join(' '), color: 'ok'});
	} else {
		segments.push({text: `${symbols.offline} ${t('status.noMedia')}`, color: 'warn'});
	}

	if (offline.length > 0) {
		segments.push({text: ` ${offline.map(target => `${symbols.offline} ${target.label}`).join(' ')}`, color: 'muted'});
	}

	segments.push(separator, newestSegment(snapshot, now, t, symbols));
	const run = snapshot.lastRun;
	if (run) {
		// The last night's plan run: whether the timer's backup worked, without opening anything.
		const bad = !run.ok || run.suspect;
		// Sealed, but short of what it could not read: incomplete, which is not the same as failed.
		const incomplete = !run.ok && !run.suspect && (run.omitted ?? 0) > 0 && run.failures.length === 1;
		const key = incomplete ? 'status.runOmissions' : (bad ? 'status.runBad' : 'status.runOk');
		segments.push(separator, {text: `${bad ? symbols.bad : symbols.ok} ${t(key, {plan: run.plan, age: ago(run.ended ?? run.time, t, now)})}`, ...(bad ? {color: 'bad' as const, bold: true} : {color: 'muted' as const})});
	}

	// The next scheduled run only where it fits whole, and never in room made by leaving out more.
	const next = squeeze.next ? snapshot.schedules.map(schedule => schedule.nextRun).filter(at => at !== undefined).sort()[0] : undefined;
	const nextText = next ? t('status.next', {at: clockOf(next)}) : '';
	if (next && textWidth(segments.map(segment => segment.text).join('')) + textWidth(separator.text) + textWidth(nextText) <= width) {
		segments.push(separator, {text: nextText, color: 'muted'});
	}

	if (running > 0) {
		segments.push(separator, {text: `${symbols.running} ${t('status.running', {count: running})}`, color: 'accent'});
	}

	return segments;
}

function newestSegment(snapshot: StatusInput['snapshot'], now: number, t: StatusInput['t'], symbols: StatusInput['symbols']): Segment {
	const newest = snapshot.timeline[0];
	if (newest) {
		const stale = now - new Date(newest.generation.time).getTime() > 2 * 86_400_000;
		return {text: `${stale ? `${symbols.warn} ` : ''}${t('status.newest', {age: ago(newest.generation.time, t, now), label: newest.label})}`, ...(stale ? {color: 'warn' as const} : {})};
	}

	return snapshot.ready ? {text: `${symbols.warn} ${t('status.noGenerations')}`, color: 'warn'} : {text: t('status.looking'), color: 'muted'};
}

/** Key hints for what has focus now, then the global ones; all from the keymap table. */
export function HintBar({width, scopes}: {width: number; scopes: Scope[]}) {
	const {t} = useI18n();
	const {capabilities, symbols} = useTheme();
	const local = keymap.filter(binding => binding.hint && scopes.includes(binding.scope) && binding.scope !== 'global');
	const global = keymap.filter(binding => binding.hint && binding.scope === 'global');
	// Global keys show their shortest form (":" for the palette, "q" for back) to leave room.
	const render = (bindings: typeof keymap, short: boolean): Segment[] => bindings.flatMap(binding => [
		{text: short ? keyLabel(binding.keys.at(-1)!, capabilities.unicode) : binding.keys.map(key => keyLabel(key, capabilities.unicode)).slice(0, 2).join('/'), bold: true, color: 'accent' as const},
		{text: ` ${t(binding.label)}  `},
	]);
	const globalPart = render(global, width < 120);
	// The view's hints that fit whole, in keymap order: a hint cut mid-word (or the global
	// "? help" cut off after it) tells nothing; the help overlay lists every key anyway.
	let room = width - 1 - segmentsWidth(globalPart) - 2;
	const shown = local.filter(binding => {
		const needed = segmentsWidth(render([binding], false));
		room -= needed;
		return room >= 0;
	});
	const segments: Segment[] = [{text: ' '}, ...render(shown, false)];
	if (shown.length > 0) {
		segments.push({text: `${symbols.vertical} `, color: 'muted'});
	}

	return <Row width={width} segments={[...segments, ...globalPart]}/>;
}

function segmentsWidth(segments: Segment[]): number {
	return segments.reduce((sum, segment) => sum + textWidth(segment.text), 0);
}
