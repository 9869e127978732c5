import type {Job} from '../../app/job-queue.js';
import {isMessageKey, type Translate, type UiLanguage} from '../i18n/i18n.js';
import type {Symbols} from '../../text/symbols.js';
import {formatBytes, formatCount, formatDuration, formatRate, padEnd, textWidth, truncateStart} from '../../text/format.js';
import {percent, progressBar} from '../../text/progress-bar.js';
import type {Segment} from './row.js';

/** How a job reads on one or two lines: state as a glyph and a word, bar, rate, ETA, file. */
export function jobState(job: Job, t: Translate, symbols: Symbols): Segment {
	switch (job.state) {
		case 'queued': {
			return {text: `${symbols.queued} ${t('job.queued')}`, color: 'muted'};
		}

		case 'running': {
			return {text: `${symbols.running} ${t('job.running')}`, color: 'accent', bold: true};
		}

		case 'done': {
			return job.outcome?.ok ? {text: `${symbols.ok} ${t('job.done')}`, color: 'ok'} : {text: `${symbols.bad} ${t('job.problems')}`, color: 'bad', bold: true};
		}

		case 'failed': {
			return {text: `${symbols.bad} ${t('job.failed')}`, color: 'bad', bold: true};
		}

		case 'cancelled': {
			return {text: `${symbols.warn} ${t('job.cancelled')}`, color: 'warn'};
		}
	}
}

export function jobTitle(job: Pick<Job, 'kind' | 'label' | 'detail'>, t: Translate): string {
	const detail = job.detail === 'structure' || job.detail === 'full' ? t(`verify.${job.detail}`) : job.detail;
	return `${t(`kind.${job.kind}` as 'kind.backup')} ${job.label}${detail ? ` ${detail}` : ''}`;
}

/**
 * What a running job is doing, before it counts anything: "starting…" until its first phase
 * (a medium's key is unlocked before a restore's first event), then the engine's sentence in
 * English and the phase's own word in other languages (the sentence is English).
 */
export function phaseWords(job: Job, t: Translate, symbols: Symbols, language: UiLanguage): string {
	if (job.phase === undefined) {
		return `${t('job.starting')}${symbols.ellipsis}`;
	}

	const key = `phase.${job.phaseId ?? ''}`;
	return language === 'en' || !isMessageKey(key) ? job.phase : `${t(key)}${symbols.ellipsis}`;
}

/** First line: state, title, bar, percent, rate, ETA. */
export function jobHeadline(job: Job, width: number, t: Translate, symbols: Symbols, language: UiLanguage = 'en'): Segment[] {
	const state = jobState(job, t, symbols);
	const title = jobTitle(job, t);
	const {progress} = job;
	if (job.state !== 'running' || !progress) {
		const tail = job.state === 'running' ? phaseWords(job, t, symbols, language) : (job.state === 'queued' ? '' : (job.error ?? ''));
		return [state, {text: `  ${title}`, bold: true}, {text: tail ? `  ${tail}` : '', color: job.state === 'failed' ? 'bad' : 'muted'}];
	}

	const done = progress.bytesTotal > 0 ? progress.bytesDone : progress.filesDone;
	const total = progress.bytesTotal > 0 ? progress.bytesTotal : progress.filesTotal;
	if (total <= 0) {
		// Nothing counted yet (a restore reading its manifest): the phase, not "?% 0/0 files".
		return [state, {text: `  ${title}`, bold: true}, {text: `  ${t(`phase.${progress.phase}` as 'phase.scan')}${symbols.ellipsis}`, color: 'muted'}];
	}

	// Rate and ETA take the same room from the first tick to the last, so the bar keeps its
	// width while they appear and change; where the line is short, the rate moves to the detail line.
	const reserve = reserved(width, t, symbols);
	const eta = padEnd(etaText(progress, t, symbols), reserve.eta);
	const rate = reserve.rate > 0 ? padEnd(progress.rate > 0 ? `  ${formatRate(progress.rate)}` : '', reserve.rate) : '';
	const fixed = textWidth(`${state.text}  ${title}  `) + 5 + reserve.rate + reserve.eta;
	const room = Math.min(30, width - fixed - 1);
	// No room for a readable bar: none, rather than cut the ETA.
	const barWidth = room >= 4 ? room : 0;
	return [
		state,
		{text: `  ${title}  `, bold: true},
		{text: progressBar(total > 0 ? done / total : 0, barWidth, symbols), color: 'accent'},
		{text: ` ${percent(done, total)}`, bold: true},
		{text: rate},
		{text: eta, color: 'muted'},
	];
}

/** Lines at least this wide carry the rate in the headline. */
const rateInHeadline = 100;

function reserved(width: number, t: Translate, symbols: Symbols): {rate: number; eta: number} {
	return {
		rate: width >= rateInHeadline ? textWidth(`  ${formatRate(999.9 * 1024 * 1024)}`) : 0,
		eta: Math.max(textWidth(`  ${t('job.eta')} 88:88`), textWidth(`  ${t('phase.seal')}${symbols.ellipsis}`)),
	};
}

/** Time left: "sealing…" while sealing (the bytes are all written, the rate says nothing), "< 1 s" near the end. */
function etaText(progress: NonNullable<Job['progress']>, t: Translate, symbols: Symbols): string {
	if (progress.phase === 'seal') {
		return `  ${t('phase.seal')}${symbols.ellipsis}`;
	}

	if (progress.etaMs === undefined) {
		return '';
	}

	return `  ${t('job.eta')} ${progress.etaMs < 1000 ? '< 1 s' : formatDuration(progress.etaMs)}`;
}

/** Second line: files, bytes, phase, current file (the end of its path, which names it). */
export function jobDetail(job: Job, width: number, t: Translate, symbols: Symbols): Segment[] {
	const {progress} = job;
	if (!progress || (progress.filesTotal <= 0 && progress.bytesTotal <= 0)) {
		// The engine's sentence names what it reads and where: kept in every language.
		return [{text: `   ${job.phase ?? ''}`, color: 'muted'}];
	}

	const files = `${formatCount(progress.filesDone)}/${formatCount(progress.filesTotal)} ${t('job.files')}`;
	const bytes = `${formatBytes(progress.bytesDone)}/${formatBytes(progress.bytesTotal)}`;
	const phase = t(`phase.${progress.phase}` as 'phase.scan');
	const rate = width < rateInHeadline && progress.rate > 0 ? ` ${symbols.dot} ${formatRate(progress.rate)}` : '';
	const head = `   ${files} ${symbols.dot} ${bytes}${rate} ${symbols.dot} ${phase}`;
	const room = width - textWidth(head) - 3;
	const file = progress.currentPath && room > 8 ? truncateStart(progress.currentPath, room) : '';
	return [
		{text: head},
		{text: file ? ` ${symbols.dot} ` : '', color: 'muted'},
		{text: file, color: 'muted'},
	];
}
