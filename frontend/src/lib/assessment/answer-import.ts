// Reading an answer-import report: the rows not taken in file order, and what the save
// button may promise.
import type { AnswerImportReport, ImportRowNote } from '../assessments';

export type RowProblem = ImportRowNote & { kind: 'invalid' | 'unmatched' };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Every row not taken, in the order of the file: sheet by sheet, row by row. */
export function rowsNotTaken(r: AnswerImportReport): RowProblem[] {
	const order = new Map((r.sheets ?? []).map((s, i) => [s.name, i]));
	const rows: RowProblem[] = [
		...(r.invalid ?? []).map((n) => ({ ...n, kind: 'invalid' as const })),
		...(r.unmatched ?? []).map((n) => ({ ...n, kind: 'unmatched' as const }))
	];
	return rows.sort((a, b) => (order.get(a.sheet) ?? 0) - (order.get(b.sheet) ?? 0) || a.row - b.row);
}

/** True when some answers cannot be taken, so saving means leaving those rows out. */
export function hasBadRows(r: AnswerImportReport): boolean {
	return (r.invalid ?? []).length > 0;
}

/** "Import 4 answers", or with rows that cannot be taken, "Save the 3 valid answers". */
export function saveLabel(r: AnswerImportReport): string {
	return hasBadRows(r)
		? `Save the ${plural(r.matched, 'valid answer')}`
		: `Import ${plural(r.matched, 'answer')}`;
}

/** One sentence on what the check found or the import did. */
export function summary(r: AnswerImportReport): string {
	const read = (r.sheets ?? []).filter((s) => s.read);
	const where = read.length === 1 ? ` from sheet ${read[0]!.name}` : ` from ${read.length} sheets`;
	const invalid = (r.invalid ?? []).length;
	const unmatched = (r.unmatched ?? []).length;
	const parts: string[] = [];
	if (r.committed) {
		parts.push(`${plural(r.saved, 'answer')} saved${where}`);
	} else {
		parts.push(`${plural(r.matched, 'answer')} matched${where}, ${r.changed.toLocaleString()} would change`);
	}
	if (invalid > 0) parts.push(`${plural(invalid, 'row')} cannot be taken${r.committed ? ` and ${invalid === 1 ? 'was' : 'were'} not saved` : ''}`);
	if (unmatched > 0) parts.push(`${plural(unmatched, 'row')} matched no question`);
	return parts.join('; ') + '.';
}
