import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {bytes, flatten, parseLsblk} from '../../source/system/lsblk.js';
import {mountOf, parseMountinfo} from '../../source/system/mounts.js';
import {parseBlkidExport} from '../../source/system/linux-drives.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'lsblk');
const read = async (name: string) => fs.readFile(path.join(fixtures, name), 'utf8');

test('old-format lsblk: a removable USB stick, human sizes, [SWAP] dropped', async t => {
	const nodes = parseLsblk(await read('ubuntu-usb-stick-old-format.json'));
	const stick = nodes.find(node => node.name === 'sda')!;
	t.true(stick.removable);
	t.false(stick.readOnly);
	t.deepEqual(stick.mountpoints, ['/media/jwentz/Temp']);
	t.is(stick.size, Math.round(14.3 * (2 ** 30)));
	const nvme = nodes.find(node => node.name === 'nvme0n1')!;
	t.false(nvme.removable);
	t.is(nvme.children.length, 3);
	t.deepEqual(nvme.children.find(child => child.name === 'nvme0n1p3')!.mountpoints, []);
	t.deepEqual(flatten(nodes).map(node => node.name), ['sda', 'nvme0n1', 'nvme0n1p3', 'nvme0n1p1', 'nvme0n1p2']);
});

test('current lsblk with two loop cartridges: sizes in bytes, the write-protected one is ro', async t => {
	const nodes = parseLsblk(await read('this-machine-two-loop-cartridges.json'));
	const a = nodes.find(node => node.name === 'loop0')!;
	const b = nodes.find(node => node.name === 'loop1')!;
	t.is(a.type, 'loop');
	t.is(a.size, 67_108_864);
	t.false(a.readOnly);
	t.deepEqual(a.mountpoints, ['/mnt/rdx-a']);
	t.is(a.fsAvailable, 52_658_176);
	t.true(b.readOnly);
	t.deepEqual(b.mountpoints, ['/mnt/rdx-b']);
	// No udev in that container: lsblk knows no filesystem type, blkid does.
	t.is(a.fsType, undefined);
	const blkid = parseBlkidExport(await read('this-machine-blkid-export.txt'));
	t.is(blkid.get('/dev/loop0')?.['TYPE'], 'ext4');
	t.is(blkid.get('/dev/loop0')?.['LABEL'], 'RDXA');
	t.is(blkid.get('/dev/loop1')?.['TYPE'], 'exfat');
});

test('mountinfo: devices, types, and the mount a path lives on', async t => {
	const mounts = parseMountinfo(await read('this-machine-mountinfo.txt'));
	t.is(mounts.length, 4);
	const b = mounts.find(entry => entry.mountpoint === '/mnt/rdx-b')!;
	t.is(b.source, '/dev/loop1');
	t.is(b.fsType, 'fuseblk');
	t.is(b.majorMinor, '7:1');
	t.false(b.readOnly);
	t.is(mountOf('/mnt/rdx-a/sedai/generations', mounts)?.source, '/dev/loop0');
	t.is(mountOf('/mnt/rdx-abc', mounts)?.mountpoint, '/');
	const readOnly = parseMountinfo('50 27 7:2 / /media/RDX\\040A ro,relatime - ext4 /dev/sdb1 ro\n')[0];
	t.true(readOnly.readOnly);
	t.is(readOnly.mountpoint, '/media/RDX A');
});

test('byte sizes from numbers and lsblk strings', t => {
	t.is(bytes(512), 512);
	t.is(bytes('1024'), 1024);
	t.is(bytes('512M'), 512 * (2 ** 20));
	t.is(bytes('460.7G'), Math.round(460.7 * (2 ** 30)));
	t.is(bytes(null), undefined);
	t.is(bytes('n/a'), undefined);
});
