import {message, type Message} from '../message.js';
import type {TargetRef as Target} from './site-policy.js';
import {isOffline, type MediumFacts} from './media.js';

/**
 * Cartridge rotation (A → B → C → A …): the cartridge that got the newest backup goes offline,
 * the one after it in the rotation is due next. Any other rotation cartridge still connected
 * should go offline too: a connected cartridge is one ransomware can reach.
 */
export type RotationMember = {
	name: string;
	label: string;
	/** Repository id, once Sedai has seen this cartridge. */
	mediumId?: string;
	known: boolean;
	online: boolean;
	newest?: string;
	offlineSince?: string;
	/** Out of reach since (ejected, found missing, else last seen), for an offline cartridge Sedai knows. */
	absentSince?: string;
	/** Its drive said SMART FAILING when last seen: it must be replaced, never stored as a copy. */
	failing: boolean;
};

export type RotationStatus = {
	members: RotationMember[];
	lastUsed?: string;
	due?: string;
	mustGoOffline: string[];
	/** Rotation cartridges whose drive reports SMART FAILING: replace them. */
	replace: string[];
	/** One sentence per thing to do, for the technician. */
	advice: Message[];
};

export function rotationStatus(rotation: string[], targets: Target[], media: MediumFacts[]): RotationStatus {
	const members: RotationMember[] = rotation.map(name => {
		const target = targets.find(candidate => candidate.name === name);
		const label = target?.label ?? name;
		const medium = media.find(candidate => candidate.label === label);
		const newest = medium?.generations.map(generation => generation.time).sort().at(-1);
		const online = medium !== undefined && !isOffline(medium);
		return {
			name,
			label,
			...(medium ? {mediumId: medium.id} : {}),
			known: medium !== undefined,
			online,
			...(newest ? {newest} : {}),
			...(medium?.offlineSince ? {offlineSince: medium.offlineSince} : {}),
			...(medium && !online ? {absentSince: medium.offlineSince ?? medium.lastSeen} : {}),
			failing: medium?.lastSmart?.verdict === 'failing',
		};
	});
	if (members.length === 0) {
		return {members, mustGoOffline: [], replace: [], advice: []};
	}

	let lastIndex = -1;
	for (const [i, member] of members.entries()) {
		if (member.newest && (lastIndex === -1 || member.newest > members[lastIndex].newest!)) {
			lastIndex = i;
		}
	}

	const due = members[(lastIndex + 1) % members.length];
	const lastUsed = lastIndex === -1 ? undefined : members[lastIndex];
	const mustGoOffline = members.filter(member => member.online && member !== due).map(member => member.name);
	const advice: Message[] = [];
	// A failing cartridge is no copy to keep: say to replace it, never to store it away.
	const replace = members.filter(member => member.failing).map(member => member.name);
	for (const name of replace) {
		advice.push(message('rotation.replaceFailing', {name}));
	}

	if (lastUsed && mustGoOffline.includes(lastUsed.name) && !lastUsed.failing) {
		advice.push(message('rotation.ejectNewest', {name: lastUsed.name, time: lastUsed.newest!.slice(0, 16).replace('T', ' ')}));
	}

	for (const name of mustGoOffline.filter(name => name !== lastUsed?.name && !replace.includes(name))) {
		advice.push(message('rotation.ejectToo', {name}));
	}

	if (!due.failing) {
		advice.push(message(due.online ? 'rotation.dueConnected' : (due.known ? 'rotation.insertNext' : 'rotation.insertNew'), {name: due.name}));
	}

	return {members, ...(lastUsed ? {lastUsed: lastUsed.name} : {}), due: due.name, mustGoOffline, replace, advice};
}
