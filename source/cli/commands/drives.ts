import type {Command} from 'commander';
import {driveSource} from '../../system/drive-source.js';
import type {Drive, Filesystem} from '../../system/types.js';
import {formatBytes, formatTime} from '../../text/format.js';
import {renderMessage, type Language} from '../../text/messages/render.js';
import {outputLanguage} from '../language.js';
import {givenPassphrase} from '../passphrase.js';
import type {Output} from '../output.js';

type Options = {json?: boolean};

export function describeDrive(drive: Drive, language: Language = 'en'): string[] {
	const facts = [drive.transport, drive.removable ? 'removable' : undefined, drive.writeProtected ? 'WRITE-PROTECTED' : undefined].filter(Boolean).join(', ');
	const smart = drive.smart.available
		? `SMART ${drive.smart.verdict.toUpperCase()}`
		: 'SMART unknown';
	const what = drive.model ?? (drive.backingFile ? `image ${drive.backingFile}` : drive.name);
	const lines = [`${drive.path}  ${what}${drive.serial ? ` (serial ${drive.serial})` : ''}  ${formatBytes(drive.size)}${facts ? `  [${facts}]` : ''}  ${smart}`];
	const figures = [
		drive.smart.reallocatedSectors === undefined ? undefined : `remapped ${drive.smart.reallocatedSectors}`,
		drive.smart.pendingSectors === undefined ? undefined : `pending ${drive.smart.pendingSectors}`,
		drive.smart.powerOnHours === undefined ? undefined : `${drive.smart.powerOnHours} h on`,
		drive.smart.temperatureC === undefined ? undefined : `${drive.smart.temperatureC} °C`,
		drive.smart.errorLogCount === undefined ? undefined : `${drive.smart.errorLogCount} logged errors`,
	].filter(Boolean);
	if (figures.length > 0) {
		lines.push(`  health: ${figures.join(', ')}`);
	}

	for (const reason of drive.smart.reasonRefs?.map(ref => renderMessage(ref, language)) ?? drive.smart.reasons) {
		lines.push(`  - ${reason}`);
	}

	for (const filesystem of drive.filesystems) {
		lines.push(...describeFilesystem(filesystem));
	}

	return lines;
}

function describeFilesystem(filesystem: Filesystem): string[] {
	const where = filesystem.mountpoint ? `at ${filesystem.mountpoint}` : 'not mounted';
	const space = filesystem.available === undefined || filesystem.size === undefined ? '' : `  ${formatBytes(filesystem.available)} free of ${formatBytes(filesystem.size)}`;
	const lines = [`  ${filesystem.device} ${filesystem.fsType ?? '?'}${filesystem.label ? ` "${filesystem.label}"` : ''} ${where}${space}${filesystem.readOnly ? `  (read-only: ${filesystem.readOnlyReason ?? 'yes'})` : ''}`];
	for (const repository of filesystem.repositories) {
		const newest = repository.newest ? `, newest ${formatTime(repository.newest)}${repository.newestApproximate ? ' (approx.)' : ''}` : '';
		lines.push(`    Sedai repository "${repository.label}" (id ${repository.id.slice(0, 8)}) at ${repository.path}: ${repository.generations} generation(s)${newest}${repository.encrypted ? ', encrypted' : ''}${repository.busy ? `; IN USE by ${repository.busy}` : ''}`);
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
				`${report.drives.length} drive(s), ${repositories.length} Sedai repository(ies).`,
			]);
			return 0;
		}));
}
