import {Box, Text} from 'ink';
import {useI18n} from '../../i18n/i18n.js';

/** Below 80×24 the layout would break: say so instead. */
export const minColumns = 80;
export const minRows = 24;

export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	const {t} = useI18n();
	return (
		<Box flexDirection='column' width={columns} height={Math.max(1, rows - 1)}>
			<Text wrap='truncate'>{t('tooSmall.title', {columns: minColumns, rows: minRows})}</Text>
			<Text wrap='truncate'>{t('tooSmall.now', {columns, rows})}</Text>
			<Text wrap='truncate'>{t('tooSmall.quit')}</Text>
		</Box>
	);
}
