import {message, type Message} from '../core/message.js';
import {renderMessage} from '../text/messages/render.js';
import type {SmartAttribute, SmartInfo, SmartSelfTest, SmartVerdict} from './types.js';

/**
 * `smartctl --json` parsing and the health verdict, pure. The verdict errs towards warning: a
 * backup medium that might fail is worth a technician's second look, a failing one must be
 * replaced before the next rotation. Reasons and notes come as message codes (`reasonRefs`,
 * `noteRef`) for front ends to render, and in English (`reasons`, `note`) for --json.
 */
/** The figures a verdict is drawn from (also what is remembered to spot growth). */
export type SmartReading = {
	passed?: boolean;
	reallocatedSectors?: number;
	pendingSectors?: number;
	offlineUncorrectable?: number;
	powerOnHours?: number;
	temperatureC?: number;
	errorLogCount?: number;
	/** The newest self-test failed. */
	lastSelfTestFailed?: boolean;
	/** Older self-tests failed. */
	selfTestErrors?: number;
	/** Pre-failure attributes at or below the maker's threshold now. */
	failingAttributes: string[];
	/** NVMe critical-warning bits, spare below threshold, media errors. */
	nvmeCriticalWarning?: number;
	nvmeSpareLow?: boolean;
	nvmeMediaErrors?: number;
	nvmePercentageUsed?: number;
	model?: string;
	serial?: string;
	protocol?: string;
	attributes?: SmartAttribute[];
	selfTests?: SmartSelfTest[];
};

export const thresholds = {
	/** Remapped sectors from which a drive counts as failing (any count is a warning). */
	reallocatedFailing: 100,
	pendingFailing: 10,
	temperatureWarning: 55,
};

/** Walk a parsed JSON value without trusting its shape. */
function dig(value: unknown, ...keys: Array<string | number>): unknown {
	let current = value;
	for (const key of keys) {
		if (current === null || typeof current !== 'object') {
			return undefined;
		}

		current = (current as Record<string | number, unknown>)[key];
	}

	return current;
}

function list(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

export function parseSmartctl(json: unknown): {reading: SmartReading | undefined; messages: string[]} {
	const data: unknown = typeof json === 'string' ? JSON.parse(json) : json;
	const messages = list(dig(data, 'smartctl', 'messages')).map(message => text(dig(message, 'string')) ?? '').filter(Boolean);
	const attributes = list(dig(data, 'ata_smart_attributes', 'table'));
	const nvme = dig(data, 'nvme_smart_health_information_log');
	const scsiDefects = numberOr(dig(data, 'scsi_grown_defect_list'));
	const passed = dig(data, 'smart_status', 'passed');
	if (typeof passed !== 'boolean' && attributes.length === 0 && !nvme && scsiDefects === undefined) {
		return {reading: undefined, messages};
	}

	const rawOf = (id: number) => rawNumber(attributes.find(item => dig(item, 'id') === id));
	const reading: SmartReading = {failingAttributes: []};
	if (typeof passed === 'boolean') {
		reading.passed = passed;
	}

	reading.model = text(dig(data, 'model_name')) ?? text(dig(data, 'scsi_model_name'));
	reading.serial = text(dig(data, 'serial_number'));
	reading.protocol = text(dig(data, 'device', 'protocol'));
	reading.reallocatedSectors = rawOf(5) ?? scsiDefects;
	reading.pendingSectors = rawOf(197);
	reading.offlineUncorrectable = rawOf(198);
	reading.powerOnHours = numberOr(dig(data, 'power_on_time', 'hours')) ?? rawOf(9) ?? numberOr(dig(nvme, 'power_on_hours'));
	reading.temperatureC = numberOr(dig(data, 'temperature', 'current')) ?? rawOf(194) ?? rawOf(190) ?? numberOr(dig(nvme, 'temperature'));
	reading.errorLogCount = numberOr(dig(data, 'ata_smart_error_log', 'summary', 'count'))
		?? numberOr(dig(data, 'ata_smart_error_log', 'extended', 'count'))
		?? numberOr(dig(nvme, 'num_err_log_entries'))
		?? numberOr(dig(data, 'scsi_error_counter_log', 'read', 'total_uncorrected_errors'));
	for (const item of attributes) {
		if (text(dig(item, 'when_failed'))?.toLowerCase() === 'now' && dig(item, 'flags', 'prefailure') === true) {
			reading.failingAttributes.push(String(dig(item, 'name')));
		}
	}

	if (attributes.length > 0) {
		reading.attributes = attributes.slice(0, 64).map(item => attributeOf(item));
	}

	const selfTests = list(dig(data, 'ata_smart_self_test_log', 'standard', 'table'));
	if (selfTests.length > 0) {
		reading.selfTests = selfTests.slice(0, 21).map(item => selfTestOf(item));
		reading.lastSelfTestFailed = dig(selfTests[0], 'status', 'passed') === false;
		reading.selfTestErrors = selfTests.filter(test => dig(test, 'status', 'passed') === false).length;
	}

	if (nvme) {
		reading.nvmeCriticalWarning = numberOr(dig(nvme, 'critical_warning'));
		reading.nvmeMediaErrors = numberOr(dig(nvme, 'media_errors'));
		reading.nvmePercentageUsed = numberOr(dig(nvme, 'percentage_used'));
		const spare = numberOr(dig(nvme, 'available_spare'));
		const spareThreshold = numberOr(dig(nvme, 'available_spare_threshold'));
		reading.nvmeSpareLow = spare !== undefined && spareThreshold !== undefined && spare < spareThreshold;
	}

	return {reading, messages};
}

function attributeOf(item: unknown): SmartAttribute {
	return {
		id: numberOr(dig(item, 'id')) ?? 0,
		name: text(dig(item, 'name')) ?? '?',
		...defined({value: numberOr(dig(item, 'value')), worst: numberOr(dig(item, 'worst')), threshold: numberOr(dig(item, 'thresh'))}),
		raw: text(dig(item, 'raw', 'string'))?.trim() ?? String(numberOr(dig(item, 'raw', 'value')) ?? ''),
		prefailure: dig(item, 'flags', 'prefailure') === true,
		failedNow: text(dig(item, 'when_failed'))?.toLowerCase() === 'now',
	};
}

function selfTestOf(item: unknown): SmartSelfTest {
	const passed = dig(item, 'status', 'passed');
	return {
		type: text(dig(item, 'type', 'string')) ?? '?',
		status: text(dig(item, 'status', 'string')) ?? '?',
		...(typeof passed === 'boolean' ? {passed} : {}),
		...defined({hours: numberOr(dig(item, 'lifetime_hours'))}),
	};
}

function numberOr(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Raw values are often packed (e.g. "2725 (151 234 0)"): the leading number is the count. */
function rawNumber(attribute: unknown): number | undefined {
	const raw = text(dig(attribute, 'raw', 'string'));
	const match = raw === undefined ? undefined : /^\s*(\d+)/.exec(raw);
	return match ? Number(match[1]) : numberOr(dig(attribute, 'raw', 'value'));
}

/** Health from one reading, and the previous one when known (growth of bad sectors matters). */
export function assessSmart(reading: SmartReading, previous?: Pick<SmartReading, 'reallocatedSectors' | 'pendingSectors'>): SmartInfo {
	const failing: Message[] = [];
	const warning: Message[] = [];
	if (reading.passed === false) {
		failing.push(message('smart.selfAssessmentFailed'));
	}

	if (reading.failingAttributes.length > 0) {
		failing.push(message('smart.wornAttributes', {attributes: reading.failingAttributes.join(', ')}));
	}

	const reallocated = reading.reallocatedSectors ?? 0;
	const pending = reading.pendingSectors ?? 0;
	if (reallocated >= thresholds.reallocatedFailing) {
		failing.push(message('smart.remappedFailing', {count: reallocated}));
	} else if (reallocated > 0) {
		warning.push(message('smart.remapped', {count: reallocated}));
	}

	if (pending >= thresholds.pendingFailing) {
		failing.push(message('smart.pendingFailing', {count: pending}));
	} else if (pending > 0) {
		warning.push(message('smart.pending', {count: pending}));
	}

	if (previous) {
		const grew = (reallocated > (previous.reallocatedSectors ?? reallocated)) || (pending > (previous.pendingSectors ?? pending));
		if (grew) {
			failing.push(message('smart.growing', {remappedBefore: previous.reallocatedSectors ?? 0, remapped: reallocated, pendingBefore: previous.pendingSectors ?? 0, pending}));
		}
	}

	if ((reading.offlineUncorrectable ?? 0) > 0) {
		warning.push(message('smart.offlineUncorrectable', {count: reading.offlineUncorrectable!}));
	}

	if (reading.lastSelfTestFailed) {
		failing.push(message('smart.lastSelfTestFailed'));
	} else if ((reading.selfTestErrors ?? 0) > 0) {
		warning.push(message('smart.selfTestErrors', {count: reading.selfTestErrors!}));
	}

	if ((reading.nvmeCriticalWarning ?? 0) !== 0) {
		failing.push(message('smart.nvmeCritical', {code: String(reading.nvmeCriticalWarning)}));
	}

	if (reading.nvmeSpareLow) {
		failing.push(message('smart.nvmeSpare'));
	}

	if ((reading.nvmeMediaErrors ?? 0) > 0) {
		warning.push(message('smart.nvmeMediaErrors', {count: reading.nvmeMediaErrors!}));
	}

	if ((reading.nvmePercentageUsed ?? 0) >= 100) {
		warning.push(message('smart.nvmeWorn', {percent: reading.nvmePercentageUsed!}));
	}

	// NVMe error-log entries are mostly benign (rejected commands); ATA ones are real errors.
	if ((reading.errorLogCount ?? 0) > 0 && reading.protocol !== 'NVMe') {
		warning.push(message('smart.errorLog', {count: reading.errorLogCount!}));
	}

	if ((reading.temperatureC ?? 0) >= thresholds.temperatureWarning) {
		warning.push(message('smart.hot', {temperature: reading.temperatureC!, limit: thresholds.temperatureWarning}));
	}

	let verdict: SmartVerdict = 'ok';
	if (failing.length > 0) {
		verdict = 'failing';
	} else if (warning.length > 0) {
		verdict = 'warning';
	}

	const reasons = [...failing, ...warning];
	if (reasons.length === 0) {
		reasons.push(message(reading.passed === undefined ? 'smart.healthyAttributes' : 'smart.healthy'));
	}

	return {
		available: true,
		...(reading.passed === undefined ? {} : {passed: reading.passed}),
		verdict,
		reasons: reasons.map(reason => renderMessage(reason, 'en')),
		reasonRefs: reasons,
		...defined({
			reallocatedSectors: reading.reallocatedSectors,
			pendingSectors: reading.pendingSectors,
			powerOnHours: reading.powerOnHours,
			temperatureC: reading.temperatureC,
			errorLogCount: reading.errorLogCount,
			attributes: reading.attributes,
			selfTests: reading.selfTests,
		}),
	};
}

function defined<T extends Record<string, unknown>>(object: T): Partial<T> {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** No SMART verdict, and why: a message code, or (from callers that have none) plain English. */
export function unknownSmart(note: string | Message): SmartInfo {
	if (typeof note === 'string') {
		return {available: false, note, verdict: 'unknown', reasons: [note]};
	}

	const english = renderMessage(note, 'en');
	return {available: false, note: english, noteRef: note, verdict: 'unknown', reasons: [english], reasonRefs: [note]};
}

/** `-n standby`: a sleeping disk is not spun up to be polled (smartctl exits 2 and says so). */
export function smartctlArguments(device: string): string[] {
	return ['--json', '--all', '-n', 'standby', device];
}

/** The drive was in standby or sleep, so smartctl left it alone and read nothing. */
export function smartctlSkippedAsleep(exitCode: number | undefined, stdout: string): boolean {
	return exitCode === 2 && /\b(?:standby|sleep) mode\b/i.test(stdout);
}

/** One `smartctl --json` output to what the report shows. */
export function smartFromOutput(json: unknown, previous?: Pick<SmartReading, 'reallocatedSectors' | 'pendingSectors'>): {smart: SmartInfo; reading?: SmartReading} {
	let parsed: ReturnType<typeof parseSmartctl>;
	try {
		parsed = parseSmartctl(json);
	} catch {
		return {smart: unknownSmart(message('smart.notJson'))};
	}

	if (!parsed.reading) {
		return {smart: unknownSmart(describeMissingSmart(parsed.messages))};
	}

	return {smart: assessSmart(parsed.reading, previous), reading: parsed.reading};
}

export function describeMissingSmart(messages: string[]): Message {
	const text = messages.join(' ');
	if (/permission denied|operation not permitted/i.test(text)) {
		return message('smart.needsRoot');
	}

	if (/unknown usb bridge|unsupported usb bridge|specify device type/i.test(text)) {
		return message('smart.usbBridge');
	}

	if (/unable to detect device type/i.test(text)) {
		return message('smart.noDeviceType');
	}

	if (text) {
		return message('smart.other', {detail: text.replaceAll(/\s+/g, ' ').trim()});
	}

	return message('smart.none');
}
