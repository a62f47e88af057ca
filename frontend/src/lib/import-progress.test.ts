import { describe, expect, it } from 'vitest';
import { processingText } from './import-report';
import type { ImportResult } from './vendors';

const checked = (over: Partial<ImportResult> = {}): ImportResult => ({
	dry_run: true,
	committed: false,
	rows: 19999,
	created: 19000,
	updated: 998,
	unchanged: 1,
	failed: 0,
	ignored_columns: [],
	items: [],
	...over
});

describe('processingText', () => {
	it('says a check reads every row', () => {
		expect(processingText('check', null)).toBe('Checking every row…');
	});

	it('gives the rows and vendors an import after a check writes', () => {
		expect(processingText('import', checked())).toBe(`Checking ${(19999).toLocaleString()} rows, then saving ${(19998).toLocaleString()} vendors at once…`);
		expect(processingText('import', checked({ rows: 1, created: 1, updated: 0, unchanged: 0 }))).toBe('Checking 1 row, then saving 1 vendor at once…');
	});

	it('does not invent counts without a checked report', () => {
		expect(processingText('import', null)).toBe('Checking and saving the vendors…');
		expect(processingText('import', checked({ dry_run: false }))).toBe('Checking and saving the vendors…');
	});
});
