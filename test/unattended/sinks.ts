import http from 'node:http';
import net, {type AddressInfo} from 'node:net';

/** Local receivers for alerts, on 127.0.0.1 only: an HTTP endpoint and an SMTP sink. */
export type Received<T> = {items: T[]; url: string; port: number; close: () => Promise<void>; next: (count: number) => Promise<T[]>};

function collector<T>(): {items: T[]; push: (item: T) => void; next: (count: number) => Promise<T[]>} {
	const items: T[] = [];
	const waiters: Array<{count: number; resolve: (items: T[]) => void}> = [];
	return {
		items,
		push(item) {
			items.push(item);
			for (const waiter of waiters.filter(candidate => items.length >= candidate.count)) {
				waiter.resolve(items);
			}
		},
		// Wait for a state (n items received), never for a time.
		next: async count => items.length >= count
			? items
			: new Promise(resolve => {
				waiters.push({count, resolve});
			}),
	};
}

export async function webhookSink(status = 200): Promise<Received<Record<string, unknown>>> {
	const got = collector<Record<string, unknown>>();
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
		});
		request.on('end', () => {
			got.push({method: request.method, contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown});
			response.writeHead(status).end();
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {items: got.items, next: got.next, port, url: `http://127.0.0.1:${port}/hooks/sedai`, close: async () => new Promise(resolve => {
		server.close(() => {
			resolve();
		});
	})};
}

export type SmtpMessage = {from: string; to: string[]; data: string; headers: Record<string, string>};

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and ?B?), as nodemailer writes long or non-ASCII headers. */
function decodeWords(value: string): string {
	return value.replaceAll(/\?=\s+=\?/gu, '?==?').replaceAll(/=\?UTF-8\?([QB])\?([^?]*)\?=/giu, (_word, encoding: string, text: string) => encoding.toUpperCase() === 'B'
		? Buffer.from(text, 'base64').toString('utf8')
		: Buffer.from(text.replaceAll('_', ' ').replaceAll(/=([\dA-F]{2})/giu, (_hex, code: string) => String.fromCodePoint(Number.parseInt(code, 16))), 'latin1').toString('utf8'));
}

function parseHeaders(data: string): Record<string, string> {
	const head = data.split(/\r?\n\r?\n/u, 1)[0].replaceAll(/\r?\n(?=[ \t])/gu, '');
	return Object.fromEntries(head.split(/\r?\n/u).map(line => {
		const colon = line.indexOf(':');
		return [line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim())];
	}));
}

/** Enough SMTP for one client: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. */
function smtpSession(socket: net.Socket, push: (message: SmtpMessage) => void): void {
	let buffer = '';
	let inData = false;
	let envelope = {from: '', to: [] as string[]};
	const reply = (line: string): void => {
		socket.write(`${line}\r\n`);
	};

	const command = (line: string): void => {
		const verb = line.slice(0, 4).toUpperCase();
		switch (verb) {
			case 'EHLO':
			case 'HELO': {
				reply('250-sink.local\r\n250 8BITMIME');

				break;
			}

			case 'MAIL': {
				envelope = {from: /<(.*)>/u.exec(line)?.[1] ?? '', to: []};
				reply('250 OK');

				break;
			}

			case 'RCPT': {
				envelope.to.push(/<(.*)>/u.exec(line)?.[1] ?? '');
				reply('250 OK');

				break;
			}

			case 'DATA': {
				inData = true;
				reply('354 end with <CRLF>.<CRLF>');

				break;
			}

			case 'QUIT': {
				reply('221 bye');
				socket.end();

				break;
			}

			default: {
				reply('250 OK');
			}
		}
	};

	socket.setEncoding('utf8');
	socket.on('data', (chunk: string) => {
		buffer += chunk;
		for (;;) {
			if (inData) {
				const end = buffer.indexOf('\r\n.\r\n');
				if (end === -1) {
					return;
				}

				const data = buffer.slice(0, end).replaceAll('\r\n..', '\r\n.');
				buffer = buffer.slice(end + 5);
				inData = false;
				push({...envelope, data, headers: parseHeaders(data)});
				reply('250 queued');
				continue;
			}

			const newline = buffer.indexOf('\r\n');
			if (newline === -1) {
				return;
			}

			const line = buffer.slice(0, newline);
			buffer = buffer.slice(newline + 2);
			command(line);
		}
	});
	reply('220 sink.local ESMTP test sink');
}

export async function smtpSink(): Promise<Received<SmtpMessage>> {
	const got = collector<SmtpMessage>();
	const sockets = new Set<net.Socket>();
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => {
			sockets.delete(socket);
		});
		smtpSession(socket, got.push);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {items: got.items, next: got.next, port, url: `smtp://127.0.0.1:${port}`, close: async () => new Promise(resolve => {
		for (const socket of sockets) {
			socket.destroy();
		}

		server.close(() => {
			resolve();
		});
	})};
}
