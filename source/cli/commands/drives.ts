import type {Command} from 'commander';
import {driveSource} from '../../system/drive-source.js';
import type {Drive, Filesystem} from '../../system/types.js';
import {formatBytes, formatTime} from '../../text/format.js';
import {message, type MessageParam} from '../../core/message.js';
import {renderMessage, type Language} from '../../text/messages/render.js';
import {outputLanguage} from '../language.js';
import {givenPassphrase} from '../passphrase.js';
import type {Output} from '../output.js';

type Options = {json?: boolean};

/** One drive for people, in the CLI's language (SMART reasons too); --json prints the Drive itself. */
export function describeDrive(drive: Drive, language: Language = 'en'): string[] {
	const say = (code: string, params?: Record<string, MessageParam>) => renderMessage(message(`report.drives.${code}`, params), language);
	const facts = [drive.transport, drive.removable ? say('removable') : undefined, drive.writeProtected ? say('writeProtected') : undefined].filter(Boolean).join(', ');
	const smart = drive.smart.available ? say('smart', {verdict: message(`report.drives.verdict.${drive.smart.verdict}`)}) : say('smartUnknown');
	const what = drive.model ?? (drive.backingFile ? say('image', {file: drive.backingFile}) : drive.name);
	const lines = [`${drive.path}  ${what}${drive.serial ? ` ${say('serial', {serial: drive.serial})}` : ''}  ${formatBytes(drive.size)}${facts ? `  [${facts}]` : ''}  ${smart}`];
	const {smart: figures} = drive;
	const health = [
		figures.reallocatedSectors === undefined ? undefined : say('remapped', {count: String(figures.reallocatedSectors)}),
		figures.pendingSectors === undefined ? undefined : say('pending', {count: String(figures.pendingSectors)}),
		figures.powerOnHours === undefined ? undefined : say('hours', {hours: String(figures.powerOnHours)}),
		figures.temperatureC === undefined ? undefined : `${figures.temperatureC} °C`,
		figures.errorLogCount === undefined ? undefined : say('errors', {count: String(figures.errorLogCount)}),
	].filter(Boolean);
	if (health.length > 0) {
		lines.push(`  ${say('health', {figures: health.join(', ')})}`);
	}

	for (const reason of drive.smart.reasonRefs?.map(ref => renderMessage(ref, language)) ?? drive.smart.reasons) {
		lines.push(`  - ${reason}`);
	}

	for (const filesystem of drive.filesystems) {
		lines.push(...describeFilesystem(filesystem, say));
	}

	return lines;
}

function describeFilesystem(filesystem: Filesystem, say: (code: string, params?: Record<string, MessageParam>) => string): string[] {
	const where = filesystem.mountpoint ? say('mounted', {path: filesystem.mountpoint}) : say('notMounted');
	const space = filesystem.available === undefined || filesystem.size === undefined ? '' : `  ${say('space', {free: formatBytes(filesystem.available), size: formatBytes(filesystem.size)})}`;
	const readOnly = filesystem.readOnly ? `  ${say('readOnly', {reason: filesystem.readOnlyReason ?? say('yes')})}` : '';
	const lines = [`  ${filesystem.device} ${filesystem.fsType ?? '?'}${filesystem.label ? ` "${filesystem.label}"` : ''} ${where}${space}${readOnly}`];
	for (const repository of filesystem.repositories) {
		const newest = repository.newest ? say(repository.newestApproximate ? 'newestApprox' : 'newest', {time: formatTime(repository.newest)}) : '';
		const parts = `${newest}${repository.encrypted ? say('encrypted') : ''}${repository.busy ? say('inUse', {holder: repository.busy}) : ''}`;
		lines.push(`    ${say('repository', {label: repository.label, id: repository.id.slice(0, 8), path: repository.path, count: repository.generations})}${parts}`);
	}

	return lines;
}

export function registerDrives(program: Command, run: (json: boolean | undefined, body: (output: Output) => Promise<number>) => Promise<void>): void {
	program.command('drives')
		.description('list drives and cartridges: health (SMART), filesystems, write protection and the Sedai repositories on them')
		.option('--json', 'machine-readable output, one JSON object per line')
		.action(async (options: Options) => run(options.json, async output => {
			const report = await driveSource().list({passphrase: async () => givenPassphrase({})});
			for (const drive of report.drives) {
				output.record('drive', drive);
			}

			for (const note of report.notes) {
				output.warning('degraded', note);
			}

			const language = outputLanguage();
			const repositories = report.drives.flatMap(drive => drive.filesystems.flatMap(filesystem => filesystem.repositories));
			output.summary({ok: true, ...report, repositories: repositories.length}, [
				...report.drives.flatMap(drive => [...describeDrive(drive, language), '']),
				renderMessage(message('report.drives.summary', {drives: report.drives.length, repositories: repositories.length}), language),
			]);
			return 0;
		}));
}
