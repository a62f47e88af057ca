import { describe, expect, it } from 'vitest';
import type { AnswerImportReport } from '../assessments';
import { rowsNotTaken, saveLabel, summary } from './answer-import';

const note = (sheet: string, row: number, key: string) => ({ sheet, row, cell: `${sheet}!C${row}`, key, message: 'bad' });

function report(over: Partial<AnswerImportReport> = {}): AnswerImportReport {
	return {
		dry_run: true,
		valid_only: false,
		committed: false,
		sheets: [
			{ name: 'CAIQ', hidden: false, read: true, heading_row: 2, answers: 2, note: '' },
			{ name: 'Hosting', hidden: false, read: true, heading_row: 4, answers: 1, note: '' },
			{ name: 'Old', hidden: true, read: false, heading_row: 0, answers: 0, note: 'hidden sheet: not read' }
		],
		matched: 3,
		changed: 3,
		saved: 0,
		unmatched: [note('CAIQ', 9, 'ZZ-1')],
		invalid: [note('Hosting', 5, 'H-1'), note('CAIQ', 4, 'A-1')],
		notes: [],
		...over
	};
}

describe('answer import report', () => {
	it('lists the rows not taken in file order, sheet by sheet', () => {
		expect(rowsNotTaken(report()).map((r) => [r.cell, r.kind])).toEqual([
			['CAIQ!C4', 'invalid'],
			['CAIQ!C9', 'unmatched'],
			['Hosting!C5', 'invalid']
		]);
	});

	it('offers to save only the valid answers when some rows are bad', () => {
		expect(saveLabel(report())).toBe('Save the 3 valid answers');
		expect(saveLabel(report({ invalid: [], matched: 1 }))).toBe('Import 1 answer');
	});

	it('says what was found, and after saving what was saved and what was not', () => {
		expect(summary(report())).toBe('3 answers matched from 2 sheets, 3 would change; 2 rows cannot be taken; 1 row matched no question.');
		expect(summary(report({ committed: true, dry_run: false, saved: 3, unmatched: [] }))).toBe(
			'3 answers saved from 2 sheets; 2 rows cannot be taken and were not saved.'
		);
	});
});
