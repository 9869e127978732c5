import fs from 'node:fs';
import {execa} from 'execa';

/** Remove a test folder that holds repositories Sedai made immutable (chattr +i) after backups. */
export async function removeProtected(directory: string): Promise<void> {
	await execa('chattr', ['-R', '-i', directory], {reject: false});
	fs.rmSync(directory, {recursive: true, force: true});
}
