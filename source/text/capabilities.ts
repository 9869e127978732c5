/**
 * What the terminal can show. chalk does not read NO_COLOR and a technician on `LANG=C` over an
 * old SSH client gets mojibake from box-drawing characters, so both are decided here, once.
 */
export type Capabilities = {
	color: boolean;
	unicode: boolean;
};

export function detectCapabilities(environment: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stdout.isTTY)): Capabilities {
	const term = environment['TERM'] ?? '';
	const noColor = environment['NO_COLOR'] !== undefined && environment['NO_COLOR'] !== '';
	const forced = environment['FORCE_COLOR'];
	const color = forced === undefined ? !noColor && term !== 'dumb' && isTty : forced !== '0';
	// Empty means unset for locale variables, hence || rather than ??.
	// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
	const locale = environment['LC_ALL'] || environment['LC_CTYPE'] || environment['LANG'] || '';
	const unicode = environment['SEDAI_ASCII'] === '1' ? false : /utf-?8/i.test(locale) && term !== 'linux' && term !== 'vt100' && term !== 'dumb';
	return {color, unicode};
}
