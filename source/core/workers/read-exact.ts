import fs from 'node:fs';

/** Exactly `length` bytes at `position`, or an ESHORT error: a short read is damage, not data. */
export function readExact(fd: number, length: number, position: number): Buffer {
	const buffer = Buffer.allocUnsafe(length);
	let done = 0;
	while (done < length) {
		const n = fs.readSync(fd, buffer, done, length - done, position + done);
		if (n === 0) {
			throw Object.assign(new Error('unexpected end of file'), {code: 'ESHORT'});
		}

		done += n;
	}

	return buffer;
}
