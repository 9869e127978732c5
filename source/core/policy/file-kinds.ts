/**
 * What a file name says about its content, for the sentinel: which types are text (so near-random
 * content is alarming), which are already compressed (so it is not), which extensions and names
 * ransomware leaves behind. Names are compared NFKC-folded and lower-cased.
 */
const textTypes = new Set([
	'txt',
	'csv',
	'tsv',
	'md',
	'sql',
	'xml',
	'json',
	'html',
	'htm',
	'log',
	'ini',
	'cfg',
	'conf',
	'rtf',
	'yaml',
	'yml',
	'tex',
	'hl7',
	'mml',
	'ssk',
	'ukc',
	'doc',
	'xls',
	'ppt',
	'eml',
	'vcf',
	'ics',
	'bat',
	'ps1',
	'sh',
]);

/** Already compressed or binary containers: their entropy says nothing, so they are not judged. */
const compressedTypes = new Set([
	'jpg',
	'jpeg',
	'png',
	'gif',
	'webp',
	'heic',
	'heif',
	'tif',
	'tiff',
	'jp2',
	'j2k',
	'bmp',
	'zip',
	'gz',
	'tgz',
	'bz2',
	'xz',
	'7z',
	'rar',
	'zst',
	'lz4',
	'lzh',
	'cab',
	'jar',
	'docx',
	'xlsx',
	'pptx',
	'odt',
	'ods',
	'odp',
	'pdf',
	'epub',
	'mp3',
	'mp4',
	'm4a',
	'mov',
	'avi',
	'mkv',
	'wmv',
	'aac',
	'ogg',
	'flac',
	'webm',
	'gpg',
	'pgp',
	'p7m',
	'kdbx',
	'enc',
	'bak',
	'dump',
	'db',
	'sqlite',
	'mdf',
	'ldf',
	'iso',
	'img',
	'vhd',
	'vhdx',
	'vmdk',
]);

const ransomExtensions = new Set([
	'locked',
	'encrypted',
	'crypt',
	'crypted',
	'crypto',
	'encrypt',
	'cry',
	'crinf',
	'crypz',
	'cryp1',
	'cerber',
	'cerber3',
	'locky',
	'zepto',
	'odin',
	'thor',
	'aesir',
	'wncry',
	'wnry',
	'wcry',
	'djvu',
	'ryk',
	'ryuk',
	'conti',
	'lockbit',
	'akira',
	'phobos',
	'makop',
	'dharma',
	'crysis',
	'kraken',
	'globe',
	'sage',
	'vvv',
	'ccc',
	'zzz',
	'xyz',
	'ecc',
	'ezz',
	'exx',
	'micro',
	'kkk',
	'fun',
	'pay2key',
	'hive',
	'blackcat',
	'royal',
	'play',
	'babuk',
	'avos',
	'lockfile',
]);

/** Extensions after the name, lower-cased: `カルテ.TXT.locked` → ['txt', 'locked']. */
export function extensionsOf(name: string): string[] {
	// ASCII needs no NFKC and its letters and digits are these (it runs on every file of a backup).
	if (/^[\u0020-\u007E]*$/.test(name)) {
		return name.toLowerCase().slice(1).split('.').slice(1).filter(part => /^[a-z\d_-]{1,16}$/.test(part));
	}

	const folded = name.normalize('NFKC').toLowerCase();
	return folded.slice(1).split('.').slice(1).filter(part => /^[\p{L}\p{N}_-]{1,16}$/u.test(part));
}

/** The last extension of a path's name, cheaply (ASCII fast path: it runs on every file). */
export function lastExtension(path: string): string {
	const dot = path.lastIndexOf('.');
	const slash = path.lastIndexOf('/');
	if (dot <= slash + 1) {
		return '';
	}

	const extension = path.slice(dot + 1);
	if (/^[\w-]{1,16}$/.test(extension)) {
		return extension.toLowerCase();
	}

	// Raw bytes of a non-ASCII name: decode, then fold.
	return extensionsOf(Buffer.from(path.slice(slash + 1), 'latin1').toString('utf8')).at(-1) ?? '';
}

export function isTextType(extension: string): boolean {
	return textTypes.has(extension);
}

export function isCompressedType(extension: string): boolean {
	return compressedTypes.has(extension);
}

export function isKnownRansomExtension(extension: string): boolean {
	return ransomExtensions.has(extension);
}

/** `.a9f3k2`, `.qwxzt`: letters and digits mixed, or five-plus letters with at most one vowel. */
export function looksRandomExtension(extension: string): boolean {
	if (!/^[a-z\d]{4,12}$/.test(extension) || textTypes.has(extension) || compressedTypes.has(extension)) {
		return false;
	}

	const letters = extension.replaceAll(/\d/g, '');
	if (letters.length > 0 && letters.length < extension.length) {
		return extension.length >= 5;
	}

	return letters.length >= 5 && (letters.match(/[aeiou]/g)?.length ?? 0) <= 1;
}

const noteExtensions = new Set(['', 'txt', 'html', 'htm', 'hta', 'rtf', 'url', 'md']);
const separator = String.raw`[\s_.\-+!#()[\]]*`;
const notePatterns = [
	/decrypt|ransom|復号|身代金|暗号化されました|ファイルを元に戻|復元方法/,
	new RegExp(`how${separator}to${separator}(recover|restore|decrypt|unlock|get${separator}back|return)`),
	new RegExp(`(restore|recover|unlock|return)${separator}(my|your|all|the)?${separator}files`),
	new RegExp(`(your|all)${separator}files${separator}(are|were|have${separator}been)?${separator}(encrypted|locked)`),
	new RegExp(`files${separator}(are${separator})?encrypted|encrypted${separator}files`),
	/^!+[\s_.-]*read[\s_.-]*me/,
	/^_readme\.txt$/,
];

/** README_DECRYPT.txt, HOW_TO_RECOVER_FILES.html, !!!READ_ME!!!.txt, 復号方法.txt, … */
export function ransomNoteName(name: string): boolean {
	const folded = name.normalize('NFKC').toLowerCase();
	if (folded.length > 80) {
		return false;
	}

	const extension = extensionsOf(folded).at(-1) ?? '';
	if (!noteExtensions.has(extension)) {
		return false;
	}

	return notePatterns.some(pattern => pattern.test(folded));
}
