import {SedaiError} from '../errors.js';
import type {GenerationInfo} from './generations.js';

/**
 * The generation a technician means: `latest`, `latest~N`, `#seq`, or a unique id prefix (at
 * least 4 hex digits), among `generations` (oldest first). Anything else is one sentence.
 */
export function findGeneration(generations: GenerationInfo[], reference: string, where: {label: string; root: string}): GenerationInfo {
	if (generations.length === 0) {
		throw new SedaiError('not-found', `The repository "${where.label}" at ${where.root} has no generations yet: run \`sedai backup\` first.`);
	}

	const latest = /^latest(?:~(\d+))?$/.exec(reference);
	if (latest) {
		const back = Number(latest[1] ?? 0);
		const found = generations.at(-1 - back);
		if (!found) {
			throw new SedaiError('not-found', `There is no generation ${reference}: the repository holds ${generations.length}.`);
		}

		return found;
	}

	const bySeq = /^#(\d+)$/.exec(reference);
	if (bySeq) {
		const found = generations.find(generation => generation.seq === Number(bySeq[1]));
		if (!found) {
			throw new SedaiError('not-found', `There is no generation ${reference} in "${where.label}": see \`sedai generations --repo ${where.root}\`.`);
		}

		return found;
	}

	const prefix = reference.toLowerCase();
	if (!/^[\da-f]{4,64}$/.test(prefix)) {
		throw new SedaiError('usage', `"${reference}" is not a generation: use latest, latest~N, #SEQ or an id (at least 4 hex digits).`);
	}

	const matches = generations.filter(generation => generation.id.startsWith(prefix));
	if (matches.length === 1) {
		return matches[0];
	}

	if (matches.length > 1) {
		throw new SedaiError('usage', `"${reference}" matches ${matches.length} generations: give more digits of the id.`);
	}

	throw new SedaiError('not-found', `There is no generation ${reference} in "${where.label}": see \`sedai generations --repo ${where.root}\`.`);
}
