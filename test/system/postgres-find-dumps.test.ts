import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {dumpFormatOf, findDumps} from '../../source/system/postgres/find-dumps.js';
import {removeTree, temporaryDirectory} from '../helpers/trees.js';

/** The first bytes of a pg_dump archive: magic, version 1.14, int and offset sizes, format. */
function archiveHead(format: number): Buffer {
	return Buffer.concat([Buffer.from('PGDMP', 'latin1'), Buffer.from([1, 14, 0, 4, 8, format]), Buffer.alloc(64)]);
}

const plainHead = '--\n-- PostgreSQL database dump\n--\n\n\\restrict abc\n\n-- Dumped from database version 15.18\n';

test('dumps are recognised by their first bytes, whatever their names; look-alikes are not', async t => {
	const root = temporaryDirectory('sedai-find-dumps-');
	t.teardown(() => {
		removeTree(root);
	});
	const write = (name: string, content: string | Buffer) => {
		fs.mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
		fs.writeFileSync(path.join(root, name), content);
	};

	write('a/nightly.backup', plainHead + 'SET statement_timeout = 0;\n');
	write('b/clinic', archiveHead(1));
	write('schema.sql', 'CREATE TABLE patients (id int);\n');
	write('mentions.txt', `The word PGDMP later in a file, and -- PostgreSQL database dump too.\n${'x'.repeat(600)}PGDMP`);
	write('dir-format/toc.dat', archiveHead(5));
	write('tar-like.dump', archiveHead(3));
	write('empty.sql', '');
	fs.symlinkSync(path.join(root, 'a', 'nightly.backup'), path.join(root, 'link.sql'));

	t.deepEqual(await findDumps(root), [
		{path: path.join(root, 'a', 'nightly.backup'), format: 'plain'},
		{path: path.join(root, 'b', 'clinic'), format: 'custom'},
	]);
});

test('a pg_dumpall cluster dump or a comment-only file is not a database dump', t => {
	t.is(dumpFormatOf(Buffer.from('--\n-- PostgreSQL database cluster dump\n--\n')), undefined);
	t.is(dumpFormatOf(Buffer.from('-- just a note\n-- PostgreSQL database dump\n')), undefined);
	t.is(dumpFormatOf(Buffer.from('\uFEFF--\r\n-- PostgreSQL database dump\r\n--\r\n')), 'plain');
});
