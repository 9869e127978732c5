import {boundaryConfigs} from './boundaries.config.js';

/** @type {import('xo').FlatXoConfig} */
const config = [
	{
		ignores: ['dist/**', 'media/**', 'source/core/repository/gear-cut-wasm.ts'],
	},
	{
		rules: {
			// Engine code awaits in loops on purpose: order and backpressure matter there.
			'no-await-in-loop': 'off',
			'no-bitwise': 'off',
			'unicorn/prefer-math-trunc': 'off',
			'unicorn/no-process-exit': 'off',
			'unicorn/prevent-abbreviations': 'off',
			'unicorn/no-array-reduce': 'off',
			'unicorn/prefer-top-level-await': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
			'no-control-regex': 'off',
			'unicorn/no-hex-escape': 'off',
			'unicorn/escape-case': 'off',
			'@typescript-eslint/naming-convention': 'off',
			'max-params': 'off',
			complexity: 'off',
			'n/prefer-global/process': 'off',
			'n/prefer-global/buffer': 'off',
			'@stylistic/max-len': 'off',
			'@stylistic/object-curly-newline': 'off',
			'@typescript-eslint/no-extraneous-class': 'off',
			'@typescript-eslint/dot-notation': 'off',
			'unicorn/no-array-callback-reference': 'off',
			'unicorn/prefer-spread': 'off',
			// Buffers are the engine's currency; errors travel as unknown.
			'@typescript-eslint/no-restricted-types': 'off',
			'@typescript-eslint/no-unsafe-type-assertion': 'off',
			'@typescript-eslint/only-throw-error': 'off',
			'@typescript-eslint/member-ordering': 'off',
			'@typescript-eslint/no-loop-func': 'off',
			'no-unmodified-loop-condition': 'off',
			'require-unicode-regexp': 'off',
			'unicorn/no-array-sort': 'off',
			'unicorn/no-array-reverse': 'off',
			'@stylistic/curly-newline': 'off',
			// Switches over OS error codes have a default branch for the rest.
			'@typescript-eslint/switch-exhaustiveness-check': 'off',
			'max-depth': 'off',
			'no-warning-comments': 'off',
			// `(await run()).stdout` reads a one-shot result; a temporary name adds nothing.
			'unicorn/no-await-expression-member': 'off',
			// Failure messages are the process output under test (typed string, not always resolvable here).
			'ava/assertion-arguments': 'off',
		},
	},
	...boundaryConfigs,
];

export default config;
