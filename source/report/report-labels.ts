import type {DrillStepId, LiveStatus, ReportLanguage, SmartVerdict, VerdictReasonCode} from './drill-report.js';

/** Every word a rendered report shows that is not data: the type makes each language complete. */
export type ReportLabels = {
	title: string;
	passed: string;
	failed: string;
	skipped: string;
	yes: string;
	no: string;
	none: string;
	summary: string;
	site: string;
	startedAt: string;
	finishedAt: string;
	operator: string;
	witness: string;
	note: string;
	rto: string;
	rpo: string;
	medium: string;
	label: string;
	mediumId: string;
	kind: string;
	offlineSince: string;
	online: string;
	smart: string;
	generation: string;
	generationNumber: string;
	generationId: string;
	generationTime: string;
	generationAge: string;
	verification: string;
	chain: string;
	bytesVerified: string;
	filesRestored: string;
	bytesRestored: string;
	mismatches: string;
	file: string;
	problem: string;
	liveComparison: string;
	sampled: string;
	identical: string;
	changed: string;
	missing: string;
	sampleList: string;
	status: string;
	applicationChecks: string;
	databases: string;
	notChecked: string;
	format: string;
	database: string;
	result: string;
	duration: string;
	error: string;
	schema: string;
	table: string;
	rows: string;
	siteChecks: string;
	checkName: string;
	exitCode: string;
	timedOut: string;
	output: string;
	steps: string;
	step: string;
	detail: string;
	total: string;
	verdict: string;
	reasons: string;
	signOff: string;
	signature: string;
	date: string;
	clinicManager: string;
	files: string;
	formatPlain: string;
	formatCustom: string;
	stepNames: Record<DrillStepId, string>;
	smartVerdicts: Record<SmartVerdict, string>;
	liveStatuses: Record<LiveStatus, string>;
	reasonTexts: Record<VerdictReasonCode, string>;
	postgresMissing: string;
	noDumps: string;
};

const en: ReportLabels = {
	title: 'Restore drill report',
	passed: 'PASSED',
	failed: 'FAILED',
	skipped: 'skipped',
	yes: 'yes',
	no: 'no',
	none: 'none',
	summary: 'Summary',
	site: 'Site',
	startedAt: 'Started',
	finishedAt: 'Finished',
	operator: 'Operator',
	witness: 'Witness',
	note: 'Note',
	rto: 'Recovery time (RTO)',
	rpo: 'Data a recovery would lose (RPO)',
	medium: 'Backup medium',
	label: 'Label',
	mediumId: 'Medium ID',
	kind: 'Kind',
	offlineSince: 'Offline since',
	online: 'online during the drill',
	smart: 'Drive health (SMART)',
	generation: 'Generation restored',
	generationNumber: 'Generation number',
	generationId: 'Generation ID',
	generationTime: 'Backup time',
	generationAge: 'Age at the drill',
	verification: 'Verification',
	chain: 'Seal chain',
	bytesVerified: 'Bytes verified against the manifest',
	filesRestored: 'Files restored',
	bytesRestored: 'Bytes restored',
	mismatches: 'Mismatches',
	file: 'File',
	problem: 'Problem',
	liveComparison: 'Comparison with the live system',
	sampled: 'Files sampled',
	identical: 'Identical',
	changed: 'Changed since the backup (expected)',
	missing: 'Missing from the live system (a finding)',
	sampleList: 'Sampled files',
	status: 'Status',
	applicationChecks: 'Application checks',
	databases: 'PostgreSQL databases',
	notChecked: 'Not checked',
	format: 'Format',
	database: 'Database',
	result: 'Result',
	duration: 'Time',
	error: 'Error',
	schema: 'Schema',
	table: 'Table',
	rows: 'Rows',
	siteChecks: 'Site checks',
	checkName: 'Check',
	exitCode: 'Exit code',
	timedOut: 'Timed out',
	output: 'Output',
	steps: 'Steps and times',
	step: 'Step',
	detail: 'Detail',
	total: 'Total',
	verdict: 'Verdict',
	reasons: 'Reasons',
	signOff: 'Sign-off',
	signature: 'Signature',
	date: 'Date',
	clinicManager: 'Clinic manager',
	files: 'files',
	formatPlain: 'plain SQL',
	formatCustom: 'custom archive',
	stepNames: {
		'open-medium': 'Open the medium',
		'check-chain': 'Check the seal chain',
		restore: 'Restore into the scratch folder',
		verify: 'Verify every byte',
		'compare-live': 'Compare with the live system',
		'application-check': 'Application check',
		'sign-off': 'Sign-off',
	},
	smartVerdicts: {passed: 'healthy', failed: 'failing', unknown: 'unknown'},
	liveStatuses: {identical: 'identical', changed: 'changed since the backup', missing: 'missing from the live system'},
	reasonTexts: {
		'smart-failed': 'The medium\'s drive reports a SMART failure',
		'chain-broken': 'The generation\'s seal chain does not check',
		'restore-failed': 'The restore did not complete',
		'byte-mismatch': 'Restored bytes differ from the manifest',
		'missing-from-live': 'Files in the backup are missing from the live system',
		'database-failed': 'A database dump did not load',
		'site-check-failed': 'A site check failed',
		cancelled: 'The drill was cancelled',
		other: 'Other failure',
	},
	postgresMissing: 'PostgreSQL is not installed on this machine, so no database was loaded: apt-get install postgresql',
	noDumps: 'No PostgreSQL dump was found in the restored files.',
};

const ja: ReportLabels = {
	title: 'リストア訓練 報告書',
	passed: '合格',
	failed: '不合格',
	skipped: '省略',
	yes: 'はい',
	no: 'いいえ',
	none: 'なし',
	summary: '概要',
	site: '施設',
	startedAt: '開始日時',
	finishedAt: '終了日時',
	operator: '実施者',
	witness: '立会人',
	note: '備考',
	rto: '復旧所要時間（RTO）',
	rpo: '復旧時に失われるデータ（RPO）',
	medium: 'バックアップ媒体',
	label: 'ラベル',
	mediumId: '媒体識別子',
	kind: '種類',
	offlineSince: 'オフライン保管開始',
	online: '訓練時は接続中',
	smart: 'ドライブの健康状態（SMART）',
	generation: '復元した世代',
	generationNumber: '世代番号',
	generationId: '世代識別子',
	generationTime: 'バックアップ日時',
	generationAge: '訓練時点での経過時間',
	verification: '検証',
	chain: '封印チェーン',
	bytesVerified: '目録と照合したバイト数',
	filesRestored: '復元したファイル数',
	bytesRestored: '復元したバイト数',
	mismatches: '不一致',
	file: 'ファイル',
	problem: '内容',
	liveComparison: '稼働中システムとの比較',
	sampled: '抽出したファイル数',
	identical: '一致',
	changed: 'バックアップ後に変更（想定内）',
	missing: '稼働中システムに存在しない（要確認）',
	sampleList: '抽出したファイル',
	status: '状態',
	applicationChecks: 'アプリケーション確認',
	databases: 'PostgreSQL データベース',
	notChecked: '未確認',
	format: '形式',
	database: 'データベース',
	result: '結果',
	duration: '所要時間',
	error: 'エラー',
	schema: 'スキーマ',
	table: 'テーブル',
	rows: '行数',
	siteChecks: '施設独自の確認',
	checkName: '確認項目',
	exitCode: '終了コード',
	timedOut: '時間切れ',
	output: '出力',
	steps: '手順と所要時間',
	step: '手順',
	detail: '詳細',
	total: '合計',
	verdict: '判定',
	reasons: '理由',
	signOff: '確認署名',
	signature: '署名',
	date: '日付',
	clinicManager: '院長・管理者',
	files: 'ファイル',
	formatPlain: 'SQL テキスト',
	formatCustom: 'カスタム形式アーカイブ',
	stepNames: {
		'open-medium': '媒体を開く',
		'check-chain': '封印チェーンの確認',
		restore: '作業フォルダーへの復元',
		verify: '全バイトの照合',
		'compare-live': '稼働中システムとの比較',
		'application-check': 'アプリケーション確認',
		'sign-off': '確認署名',
	},
	smartVerdicts: {passed: '正常', failed: '異常', unknown: '不明'},
	liveStatuses: {identical: '一致', changed: 'バックアップ後に変更', missing: '稼働中システムに存在しない'},
	reasonTexts: {
		'smart-failed': '媒体のドライブが SMART 異常を報告しています',
		'chain-broken': '世代の封印チェーンが検証できません',
		'restore-failed': '復元が完了しませんでした',
		'byte-mismatch': '復元したデータが目録と一致しません',
		'missing-from-live': 'バックアップ内のファイルが稼働中システムにありません',
		'database-failed': 'データベースのダンプを読み込めませんでした',
		'site-check-failed': '施設独自の確認が失敗しました',
		cancelled: '訓練は中止されました',
		other: 'その他の失敗',
	},
	postgresMissing: 'この機器に PostgreSQL がインストールされていないため、データベースは読み込んでいません（apt-get install postgresql で導入できます）',
	noDumps: '復元したファイルに PostgreSQL のダンプはありませんでした。',
};

export const reportLabels: Record<ReportLanguage, ReportLabels> = {en, ja};
