import {createHash} from 'node:crypto';
import test from 'ava';
import {compareBytes, decodeName, encodeName, fromBuffer, fromText} from '../../source/core/byte-path.js';
import {decodeTree, encodeTree, type TreeNode} from '../../source/core/repository/tree-codec.js';

/**
 * Trees are content-addressed: the encoder must make exactly the bytes it always made, or every
 * unchanged folder becomes a new blob. The reference below is the encoder as it was (an object
 * per node, then JSON.stringify), kept here as the oracle.
 */
const typeCodes = {file: 'f', dir: 'd', symlink: 'l', hardlink: 'h'} as const;

function referenceEncode(nodes: TreeNode[]): Buffer {
	const lines = ['SEDAITR1'];
	for (const node of [...nodes].sort((a, b) => compareBytes(a.name, b.name))) {
		const encoded: Record<string, unknown> = {n: encodeName(node.name), t: typeCodes[node.type], m: node.mode, u: node.uid, g: node.gid, mt: node.mtimeNs.toString()};
		if (node.type === 'file' || node.type === 'hardlink') {
			encoded['s'] = node.size;
		}

		const optional: Array<[string, unknown]> = [
			['c', node.chunks?.toString('base64')],
			['h', node.sha256?.toString('hex')],
			['l', node.target === undefined ? undefined : encodeName(node.target)],
			['i', node.ino],
			['ct', node.ctimeNs?.toString()],
			['st', node.subtree?.toString('hex')],
			['wp', node.print?.toString('hex')],
			['x', node.implicit ? 1 : undefined],
		];
		for (const [key, value] of optional) {
			if (value !== undefined) {
				encoded[key] = value;
			}
		}

		lines.push(JSON.stringify(encoded));
	}

	return Buffer.from(lines.join('\n'), 'utf8');
}

const id = (text: string) => createHash('sha256').update(text).digest();
const names = [
	'note.txt',
	fromText('処方箋_2024.pdf'),
	fromText('カルテ'.normalize('NFD')),
	fromBuffer(Buffer.from([0x66, 0xFF, 0xFE, 0x2E, 0x62])),
	String.raw`quote"back\slash`,
	'new\nline\ttab\u0001',
	'',
];

function nodes(): TreeNode[] {
	const list: TreeNode[] = [];
	for (const [i, name] of names.entries()) {
		list.push(
			{name: `${name}-f`, type: 'file', mode: 0o644, uid: 1000, gid: 1000, mtimeNs: 1_796_686_412_175_491_881n, size: 2048, chunks: id(name), sha256: id(name), ino: 12_345 + i, ctimeNs: 1_796_686_412_175_491_882n},
			{name: `${name}-m`, type: 'file', mode: 0o600, uid: 0, gid: 0, mtimeNs: -5n, size: 3 * 1024 * 1024, chunks: Buffer.concat([id('a'), id('b')]), sha256: id('whole')},
			{name: `${name}-e`, type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeNs: 0n, size: 0},
			{name: `${name}-l`, type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtimeNs: 1n, size: 0, target: names[(i + 3) % names.length]},
			{name: `${name}-h`, type: 'hardlink', mode: 0o644, uid: 0, gid: 0, mtimeNs: 1n, size: 99, target: `${name}-f`},
			{name: `${name}-d`, type: 'dir', mode: 0o2755, uid: 4_294_967_294, gid: 7, mtimeNs: 9n, size: 0, subtree: id(`${name}/`), print: id(name).subarray(0, 16), ino: 2},
			{name: `${name}-x`, type: 'dir', mode: 0o700, uid: 0, gid: 0, mtimeNs: 0n, size: 0, subtree: id('implicit'), implicit: true},
		);
	}

	return list.reverse();
}

test('a tree encodes to the bytes the object-per-node encoder made, for every kind of node and name', t => {
	const list = nodes();
	t.deepEqual(encodeTree(list), referenceEncode(list));
	t.deepEqual(encodeTree([]), referenceEncode([]));
});

test('every node decodes back to itself', t => {
	const list = nodes();
	const decoded = decodeTree(encodeTree(list));
	const byName = new Map(list.map(node => [node.name, node]));
	t.is(decoded.length, list.length);
	for (const node of decoded) {
		const original = byName.get(node.name)!;
		t.deepEqual({...node, size: node.type === 'file' || node.type === 'hardlink' ? node.size : 0}, {...original, size: original.type === 'file' || original.type === 'hardlink' ? original.size : 0}, JSON.stringify(encodeName(node.name)));
	}
});

test('names: ASCII passes as itself, UTF-8 as text, other bytes as base64, each back to the same bytes', t => {
	for (const name of names) {
		t.is(decodeName(encodeName(name)), name);
	}

	t.is(encodeName('plain.txt'), 'plain.txt');
	t.is(encodeName(fromText('処方')), '処方');
	t.deepEqual(encodeName(names[3]), {b64: Buffer.from([0x66, 0xFF, 0xFE, 0x2E, 0x62]).toString('base64')});
});
