// Reading an import report: which rows to show first, how to filter them, and what the
// "Import" button may promise.
import { ApiError } from './api';
import type { Tone } from './components/badge';
import type { ImportAction, ImportResult, ImportRow } from './vendors';

export type RowFilter = 'all' | ImportAction;

export const ROW_FILTERS: readonly { value: RowFilter; label: string }[] = [
	{ value: 'all', label: 'All rows' },
	{ value: 'error', label: 'Errors' },
	{ value: 'create', label: 'New' },
	{ value: 'update', label: 'Updates' },
	{ value: 'unchanged', label: 'Unchanged' }
];

const ACTIONS: Record<ImportAction, { label: string; tone: Tone }> = {
	error: { label: 'Error', tone: 'danger' },
	create: { label: 'New', tone: 'success' },
	update: { label: 'Update', tone: 'info' },
	unchanged: { label: 'Unchanged', tone: 'neutral' }
};

export function actionBadge(action: string): { label: string; tone: Tone } {
	return ACTIONS[action as ImportAction] ?? { label: action, tone: 'neutral' };
}

const ORDER: Record<ImportAction, number> = { error: 0, create: 1, update: 2, unchanged: 3 };

/** Errors first (what needs fixing), then new, updated and unchanged rows, each by row number. */
export function sortRows(rows: readonly ImportRow[]): ImportRow[] {
	return [...rows].sort((a, b) => (ORDER[a.action] ?? 9) - (ORDER[b.action] ?? 9) || a.row - b.row);
}

export function filterRows(rows: readonly ImportRow[], filter: RowFilter): ImportRow[] {
	return filter === 'all' ? [...rows] : rows.filter((r) => r.action === filter);
}

/** How many rows each filter would show, for the filter's labels. */
export function countByAction(result: ImportResult): Record<RowFilter, number> {
	return {
		all: result.rows,
		error: result.failed,
		create: result.created,
		update: result.updated,
		unchanged: result.unchanged
	};
}

/** Rows an import would write (or, with errors, is refused for): everything but unchanged rows. */
export function rowsToImport(result: ImportResult): number {
	return result.created + result.updated + result.failed;
}

/** "Import 3 rows" */
export function importLabel(result: ImportResult): string {
	const n = rowsToImport(result);
	return `Import ${n.toLocaleString()} ${n === 1 ? 'row' : 'rows'}`;
}

/** "2 new, 1 update, 1 error" — the parts that are not zero. */
export function summarise(result: ImportResult): string {
	const parts: string[] = [];
	const add = (n: number, one: string, many: string) => {
		if (n > 0) parts.push(`${n.toLocaleString()} ${n === 1 ? one : many}`);
	};
	add(result.created, 'new', 'new');
	add(result.updated, 'update', 'updates');
	add(result.unchanged, 'unchanged', 'unchanged');
	add(result.failed, 'error', 'errors');
	return parts.length > 0 ? parts.join(', ') : 'no rows';
}

/** The report inside a refused import (422 with an `import` member), if that is what `err` is. */
export function refusedImport(err: unknown): ImportResult | null {
	if (!(err instanceof ApiError) || err.status !== 422) return null;
	const report = err.extension('import');
	return isImportResult(report) ? report : null;
}

export function isImportResult(value: unknown): value is ImportResult {
	return (
		typeof value === 'object' &&
		value !== null &&
		Array.isArray((value as ImportResult).items) &&
		typeof (value as ImportResult).rows === 'number'
	);
}

/** The list `items` of a report, with the arrays the server leaves out made explicit. */
export function normaliseReport(result: ImportResult): ImportResult {
	return {
		...result,
		ignored_columns: result.ignored_columns ?? [],
		items: (result.items ?? []).map((r) => ({ ...r, changes: r.changes ?? [], errors: r.errors ?? [] }))
	};
}

/** 1536 -> "1.5 KB" */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const ACCEPTED_TYPES = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** Why a chosen file will not do, before uploading it; null when it may. */
export function fileProblem(file: File | null): string | null {
	if (!file) return 'Choose a CSV or XLSX file.';
	if (!/\.(csv|xlsx)$/i.test(file.name)) return 'Choose a .csv or .xlsx file.';
	if (file.size === 0) return 'This file is empty.';
	if (file.size > MAX_IMPORT_BYTES) return `This file is ${formatBytes(file.size)}; the limit is 10 MB.`;
	return null;
}

/**
 * What the server is doing once the file is sent. A check reads and validates every row; an
 * import after a check validates the same rows again and then writes them in one transaction,
 * so the checked report says how many rows it writes.
 */
export function processingText(mode: 'check' | 'import', checked: ImportResult | null): string {
	if (mode === 'check') return 'Checking every row…';
	if (!checked || checked.dry_run === false) return 'Checking and saving the vendors…';
	const n = checked.created + checked.updated;
	const rows = checked.rows.toLocaleString();
	return `Checking ${rows} ${checked.rows === 1 ? 'row' : 'rows'}, then saving ${n.toLocaleString()} ${n === 1 ? 'vendor' : 'vendors'} at once…`;
}
