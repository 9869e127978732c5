import {createContext, useContext, type ReactNode} from 'react';
import type {Capabilities} from '../../text/capabilities.js';
import {asciiSymbols, unicodeSymbols, type Symbols} from '../../text/symbols.js';

/**
 * Colour tokens and glyphs for the app. With NO_COLOR or TERM=dumb every token is undefined, so
 * nothing is drawn in colour; state is always a glyph and a word as well.
 */
export type Token = 'accent' | 'ok' | 'warn' | 'bad' | 'muted' | 'selection';

const palette: Record<Token, string> = {
	accent: 'cyan',
	ok: 'green',
	warn: 'yellow',
	bad: 'red',
	muted: 'gray',
	selection: 'blue',
};

export type Theme = {
	capabilities: Capabilities;
	symbols: Symbols;
	color: (token: Token) => string | undefined;
	/** The ellipsis for truncation (ASCII has none). */
	ellipsis: string;
};

export function makeTheme(capabilities: Capabilities): Theme {
	const symbols = capabilities.unicode ? unicodeSymbols : asciiSymbols;
	return {
		capabilities,
		symbols,
		color: token => capabilities.color ? palette[token] : undefined,
		ellipsis: capabilities.unicode ? '…' : '~',
	};
}

const ThemeContext = createContext<Theme>(makeTheme({color: false, unicode: true}));

export function ThemeProvider({theme, children}: {theme: Theme; children: ReactNode}) {
	return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Theme {
	return useContext(ThemeContext);
}
