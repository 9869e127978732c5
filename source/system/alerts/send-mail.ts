import fs from 'node:fs/promises';
import os from 'node:os';
import type nodemailerModule from 'nodemailer';
import {firstLine, runTool} from '../run-tool.js';
import type {EmailConfig} from '../../settings/alerts-config.js';

/** An alert mail, through an SMTP server or piped into the local `sendmail -t`. Throws a one-sentence Error. */
export type Mail = {subject: string; text: string};

/** Loaded when an alert goes out: every other command starts without its ~40 modules. */
async function loadNodemailer(): Promise<typeof nodemailerModule> {
	return (await import('nodemailer')).default;
}

function sender(config: EmailConfig): string {
	return config.from ?? `sedai@${os.hostname()}`;
}

async function viaSmtp(config: EmailConfig, smtp: NonNullable<EmailConfig['smtp']>, mail: Mail, timeoutMs: number): Promise<void> {
	const password = smtp.passwordFile ? (await fs.readFile(smtp.passwordFile, 'utf8')).trim() : undefined;
	const nodemailer = await loadNodemailer();
	const transport = nodemailer.createTransport({
		host: smtp.host,
		port: smtp.port,
		secure: smtp.secure,
		...(smtp.user ? {auth: {user: smtp.user, pass: password ?? ''}} : {}),
		connectionTimeout: timeoutMs,
		greetingTimeout: timeoutMs,
		socketTimeout: timeoutMs,
	});
	try {
		await transport.sendMail({from: sender(config), to: config.to, subject: mail.subject, text: mail.text});
	} catch (error) {
		throw new Error(`the mail server ${smtp.host}:${smtp.port} did not take the alert (${firstLine(error instanceof Error ? error.message : String(error))})`, {cause: error});
	} finally {
		transport.close();
	}
}

async function viaSendmail(config: EmailConfig, mail: Mail, timeoutMs: number): Promise<void> {
	// Nodemailer composes the MIME message (UTF-8 subjects for Japanese site names); sendmail delivers it.
	const nodemailer = await loadNodemailer();
	const composer = nodemailer.createTransport({streamTransport: true, buffer: true, newline: 'unix'});
	const {message} = await composer.sendMail({from: sender(config), to: config.to, subject: mail.subject, text: mail.text}) as {message: Buffer};
	const result = await runTool(config.sendmail, ['-t', '-i'], {timeoutMs, input: message.toString('utf8')});
	if (!result.ok) {
		throw new Error(result.missing
			? `${config.sendmail} is not installed: install a mail transfer agent (e.g. apt-get install postfix or msmtp-mta) or set alerts.email.smtp`
			: `${config.sendmail} -t refused the alert (${result.timedOut ? `no end within ${timeoutMs} ms` : firstLine(result.stderr) || `exit ${result.exitCode}`})`);
	}
}

export async function sendMail(config: EmailConfig, mail: Mail, timeoutMs: number): Promise<void> {
	await (config.smtp ? viaSmtp(config, config.smtp, mail, timeoutMs) : viaSendmail(config, mail, timeoutMs));
}
