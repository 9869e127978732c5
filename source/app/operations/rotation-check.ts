import {gatherMedia} from '../../core/policy/media.js';
import {rotationStatus} from '../../core/policy/rotation.js';
import type {OperationContext} from './context.js';
import type {BackupPlan} from './backup-targets.js';

/**
 * The rotation before a plan run: which of its offline targets are rotation cartridges resting
 * on the shelf (a skip, not a failure), and whether the cartridge that is due has stayed out
 * longer than compliance.rotationOverdueDays (then the run fails, naming it). Judged before the
 * backup: afterwards the cartridge just written would make the next one look due.
 */
export type RotationCheck = {members: Set<string>; overdue?: string};

const dayMs = 24 * 60 * 60 * 1000;

export async function checkRotation(context: OperationContext, plan: BackupPlan, now: Date): Promise<RotationCheck> {
	const {settings} = plan;
	if (!plan.plan || !settings || settings.rotation.length === 0) {
		return {members: new Set()};
	}

	const status = rotationStatus(settings.rotation, settings.targets, await gatherMedia(context.state.cartridges()));
	const members = new Set(settings.rotation);
	const due = status.members.find(member => member.name === status.due);
	const missing = due && plan.unreachable.some(item => item.name === due.name && !item.error);
	if (!due?.absentSince || !missing) {
		return {members};
	}

	const limit = settings.compliance.rotationOverdueDays;
	const days = Math.floor((now.getTime() - Date.parse(due.absentSince)) / dayMs);
	if (days <= limit) {
		return {members};
	}

	return {members, overdue: `Rotation overdue: ${due.name} is due but has not been inserted for ${days} days, ${days - limit} day(s) past the limit of ${limit}: insert ${due.name} and run the plan "${plan.plan}" again.`};
}
