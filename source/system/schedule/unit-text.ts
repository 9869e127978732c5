/**
 * The text of Sedai's systemd units and cron lines, escaped for each format. Pure: what gets
 * written, and where, is decided in install-schedule.ts.
 */
export type ClockTime = {hour: number; minute: number};

export type RunSpec = {
	/** Absolute argv: the node binary and dist/cli.js, or the one-file executable, then the arguments. */
	argv: string[];
	environment: Record<string, string>;
	/** Folders the service may write below ProtectSystem=strict ("-" prefix: may be absent). */
	readWritePaths: string[];
	/** "read-only" when a source or a written path lies below /home, /root or /run/user. */
	protectHome: 'yes' | 'read-only';
	privateTmp: boolean;
};

export type ScheduleMarks = {plan: string; at: string; kind: 'backup' | 'verify'};

const safeWord = /^[\w@%+=:,./-]+$/u;

/** One ExecStart/Environment word: quoted when needed, `%` and `$` doubled (systemd specifiers). */
export function systemdWord(word: string): string {
	const escaped = word.replaceAll('%', '%%').replaceAll('$', '$$$$');
	if (safeWord.test(word) && !word.includes('%')) {
		return escaped;
	}

	return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', String.raw`\"`)}"`;
}

/** One word for /bin/sh in a cron line (`%` is a newline to cron: escaped). */
export function shellWord(word: string): string {
	const quoted = safeWord.test(word) ? word : `'${word.replaceAll('\'', String.raw`'\''`)}'`;
	return quoted.replaceAll('%', String.raw`\%`);
}

export function formatClock(time: ClockTime): string {
	return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

/** "HH:MM" (24 h) or undefined. */
export function parseClock(text: string): ClockTime | undefined {
	const match = /^(\d{1,2}):(\d{2})$/u.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const hour = Number(match[1]);
	const minute = Number(match[2]);
	return hour < 24 && minute < 60 ? {hour, minute} : undefined;
}

export function serviceText(description: string, run: RunSpec, marks: ScheduleMarks): string {
	const environment = Object.entries(run.environment).map(([key, value]) => `Environment=${systemdWord(`${key}=${value}`)}`);
	return [
		'# Written by `sedai schedule install`; remove with `sedai schedule remove`.',
		'[Unit]',
		`Description=${description}`,
		'Wants=local-fs.target',
		'After=local-fs.target network-online.target',
		`X-Sedai-Plan=${marks.plan}`,
		`X-Sedai-Kind=${marks.kind}`,
		`X-Sedai-At=${marks.at}`,
		'',
		'[Service]',
		'Type=oneshot',
		...environment,
		`ExecStart=${run.argv.map(word => systemdWord(word)).join(' ')}`,
		// A night's backup must not slow the EHR down in the morning.
		'Nice=10',
		'IOSchedulingClass=idle',
		'CPUSchedulingPolicy=batch',
		'ProtectSystem=strict',
		...(run.readWritePaths.length > 0 ? [`ReadWritePaths=${run.readWritePaths.map(word => systemdWord(word)).join(' ')}`] : []),
		`ProtectHome=${run.protectHome}`,
		`PrivateTmp=${run.privateTmp ? 'yes' : 'no'}`,
		'NoNewPrivileges=yes',
		'ProtectKernelTunables=yes',
		'ProtectControlGroups=yes',
		'ProtectClock=yes',
		'ProtectHostname=yes',
		'RestrictSUIDSGID=yes',
		'RestrictRealtime=yes',
		'LockPersonality=yes',
		// IP for webhook and SMTP alerts, unix sockets for sendmail, netlink for udev and mounts.
		'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
		'UMask=0077',
		'',
	].join('\n');
}

export function timerText(description: string, unit: string, onCalendar: string, marks: ScheduleMarks): string {
	return [
		'# Written by `sedai schedule install`; remove with `sedai schedule remove`.',
		'[Unit]',
		`Description=${description}`,
		`X-Sedai-Plan=${marks.plan}`,
		`X-Sedai-Kind=${marks.kind}`,
		`X-Sedai-At=${marks.at}`,
		'',
		'[Timer]',
		`OnCalendar=${onCalendar}`,
		// A server that was off at that time runs the missed backup when it comes back.
		'Persistent=true',
		'RandomizedDelaySec=10min',
		`Unit=${unit}`,
		'',
		'[Install]',
		'WantedBy=timers.target',
		'',
	].join('\n');
}

export function dailyCalendar(time: ClockTime): string {
	return `*-*-* ${formatClock(time)}:00`;
}

/** Sundays, two hours after the nightly backup so the two rarely meet on a repository lock. */
export function weeklyVerifyTime(time: ClockTime): ClockTime {
	return {hour: (time.hour + 2) % 24, minute: time.minute};
}

export function weeklyCalendar(time: ClockTime): string {
	return `Sun *-*-* ${formatClock(time)}:00`;
}

/** One /etc/cron.d line (with its user field), output to syslog through logger when present. */
export function cronLine(fields: string, run: RunSpec): string {
	const environment = Object.entries(run.environment).map(([key, value]) => `${key}=${shellWord(value)}`);
	return `${fields} root ${[...environment, ...run.argv.map(word => shellWord(word))].join(' ')} >/dev/null 2>&1`;
}

/** Unit names take letters, digits and `_-.`; anything else becomes `_xx` (hex of its UTF-8 bytes). */
export function unitSlug(plan: string): string {
	return [...Buffer.from(plan, 'utf8')].map(byte => {
		const char = String.fromCodePoint(byte);
		return /[\w.-]/u.test(char) && char !== '_' ? char : `_${byte.toString(16).padStart(2, '0')}`;
	}).join('');
}
