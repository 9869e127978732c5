import type {SiteSettings} from '../../settings/schema.js';
import type {StateStore} from '../../settings/state.js';
import type {DriveSource} from '../../system/drive-source.js';
import type {EventSink} from './events.js';
import type {Journals} from './journals.js';
import type {MediumOpener} from './open.js';

/**
 * What an operation needs from the world, handed in by the front end: the site profile, the
 * local memory, the drives, how to open a medium (passphrases, cached repositories), where events
 * go and where job journals are written. The CLI builds one per command, the TUI one per session,
 * the demo builder one over its own folder.
 */
export type OperationContext = {
	/** The site profile; throws a SedaiError('bad-config') when the file is broken. */
	settings: () => SiteSettings;
	state: StateStore;
	drives: DriveSource;
	media: MediumOpener;
	emit: EventSink;
	journals: Journals;
	signal?: AbortSignal;
	now?: () => Date;
};

/** The settings, or undefined with the reason when the file is broken (for steps that can go on without them). */
export function trySettings(context: OperationContext): {settings?: SiteSettings; problem?: string} {
	try {
		return {settings: context.settings()};
	} catch (error) {
		return {problem: error instanceof Error ? error.message : String(error)};
	}
}
