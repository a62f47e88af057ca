import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import {
	actionBadge,
	countByAction,
	fileProblem,
	filterRows,
	formatBytes,
	importLabel,
	normaliseReport,
	refusedImport,
	rowsToImport,
	sortRows,
	summarise
} from './import-report';
import type { User } from './identity';
import { mergeReviewers } from './request/reviewers';
import {
	describeEntry,
	entryHasText,
	formatNeededBy,
	isFinalMove,
	moveAction,
	parseQueue,
	queueParams,
	queueQuery,
	tabCount,
	type TimelineEntry
} from './requests';
import { withQuery } from './query';
import type { ImportResult } from './vendors';

const report: ImportResult = {
	dry_run: true,
	committed: false,
	rows: 5,
	created: 1,
	updated: 1,
	unchanged: 1,
	failed: 2,
	ignored_columns: ['foo'],
	items: [
		{ row: 2, action: 'create', name: 'New Co' },
		{ row: 3, action: 'unchanged', name: 'Same Co', vendor_id: 'v3' },
		{ row: 4, action: 'error', name: 'Bad Co', errors: [{ column: 'category', message: 'must be one of: …' }] },
		{ row: 5, action: 'update', name: 'Changed Co', vendor_id: 'v5', changes: ['criticality'] },
		{ row: 6, action: 'error', name: '', errors: [{ column: 'name', message: 'is required' }] }
	]
};

describe('import reports', () => {
	it('puts errors first, then new, updated and unchanged rows', () => {
		expect(sortRows(report.items).map((r) => r.row)).toEqual([4, 6, 2, 5, 3]);
		expect(report.items.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]); // not mutated
	});

	it('filters rows by what would happen to them and counts each kind', () => {
		expect(filterRows(report.items, 'error').map((r) => r.row)).toEqual([4, 6]);
		expect(filterRows(report.items, 'all')).toHaveLength(5);
		expect(countByAction(report)).toEqual({ all: 5, error: 2, create: 1, update: 1, unchanged: 1 });
	});

	it('says how many rows an import writes and summarises the rest', () => {
		expect(rowsToImport(report)).toBe(4);
		expect(importLabel(report)).toBe('Import 4 rows');
		expect(importLabel({ ...report, created: 1, updated: 0, failed: 0 })).toBe('Import 1 row');
		expect(summarise(report)).toBe('1 new, 1 update, 1 unchanged, 2 errors');
		expect(summarise({ ...report, created: 0, updated: 0, unchanged: 0, failed: 0 })).toBe('no rows');
		expect(actionBadge('error')).toEqual({ label: 'Error', tone: 'danger' });
		expect(actionBadge('weird').tone).toBe('neutral');
	});

	it('finds the report inside a refused import, and nothing in other errors', () => {
		const refused = new ApiError(
			{ type: 'urn:rampart:problem:validation', title: 'Unprocessable Entity', status: 422 },
			{ extensions: { import: { ...report, dry_run: false } } }
		);
		expect(refusedImport(refused)?.failed).toBe(2);
		expect(refusedImport(new ApiError({ type: 'x', title: 'Unprocessable Entity', status: 422 }))).toBeNull();
		expect(refusedImport(new Error('boom'))).toBeNull();
	});

	it('fills in the lists the server leaves out', () => {
		const n = normaliseReport({ ...report, ignored_columns: null as unknown as string[] });
		expect(n.ignored_columns).toEqual([]);
		expect(n.items[0]).toEqual({ row: 2, action: 'create', name: 'New Co', changes: [], errors: [] });
	});

	it('refuses files it cannot take before uploading them', () => {
		expect(fileProblem(null)).toMatch(/Choose/);
		expect(fileProblem(new File(['x'], 'vendors.pdf'))).toBe('Choose a .csv or .xlsx file.');
		expect(fileProblem(new File([], 'vendors.csv'))).toBe('This file is empty.');
		expect(fileProblem(new File(['a,b'], 'Vendors.CSV'))).toBeNull();
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(1536)).toBe('1.5 KB');
		expect(formatBytes(11 * 1024 * 1024)).toBe('11.0 MB');
	});
});

describe('the request queue in the URL', () => {
	const url = (qs: string) => new URL(`http://x/requests${qs}`);

	it('reads the tab, assignee, search and sort, with defaults', () => {
		expect(parseQueue(url('').searchParams)).toEqual({
			tab: 'open',
			assignee: '',
			q: '',
			sort: { key: 'created_at', direction: 'desc' }
		});
		expect(parseQueue(url('?tab=decided&assignee=none&q=miro&sort=needed_by').searchParams)).toEqual({
			tab: 'decided',
			assignee: 'none',
			q: 'miro',
			sort: { key: 'needed_by', direction: 'asc' }
		});
		expect(parseQueue(url('?tab=nope').searchParams).tab).toBe('open');
	});

	it('writes changes back without defaults', () => {
		expect(withQuery(url('?tab=triage'), queueParams({ tab: 'open', assignee: 'me' }))).toBe('/requests?assignee=me');
		expect(withQuery(url(''), queueParams({ sort: { key: 'created_at', direction: 'desc' } }))).toBe('/requests');
		expect(withQuery(url(''), queueParams({ sort: { key: 'title', direction: 'asc' } }))).toBe('/requests?sort=title');
	});

	it('asks the API for the tab’s statuses and the chosen assignee', () => {
		const state = parseQueue(url('?tab=open&assignee=me').searchParams);
		expect(queueQuery(state, 'u-me')).toEqual({
			status: 'submitted,triage,security_review,legal_review',
			assignee_id: 'u-me',
			q: undefined,
			sort: '-created_at'
		});
		expect(queueQuery(parseQueue(url('?tab=all&assignee=none').searchParams), 'u')).toMatchObject({
			status: undefined,
			assignee_id: 'none'
		});
	});

	it('counts tabs from the per-status counts', () => {
		const counts = { by_status: { submitted: 2, triage: 1, approved: 3, rejected: 1 }, total: 9 };
		expect(tabCount(counts, 'open')).toBe(3);
		expect(tabCount(counts, 'decided')).toBe(4);
		expect(tabCount(counts, 'withdrawn')).toBe(0);
		expect(tabCount(counts, 'all')).toBe(9);
	});
});

describe('how requests read', () => {
	const entry = (e: Partial<TimelineEntry>): TimelineEntry => ({
		id: '1',
		kind: 'status',
		actor: null,
		from_status: '',
		to_status: '',
		body: '',
		created_at: '2026-01-01T00:00:00Z',
		...e
	});

	it('describes timeline entries', () => {
		expect(describeEntry(entry({ kind: 'created' }))).toBe('submitted the request');
		expect(describeEntry(entry({ from_status: 'submitted', to_status: 'triage' }))).toBe(
			'moved it from Submitted to Triage'
		);
		expect(describeEntry(entry({ from_status: 'triage', to_status: 'approved_with_conditions' }))).toBe(
			'approved the request with conditions'
		);
		expect(describeEntry(entry({ kind: 'assigned', body: 'Riley Chen' }))).toBe('assigned it to Riley Chen');
		expect(describeEntry(entry({ kind: 'assigned' }))).toBe('removed the assignee');
		expect(describeEntry(entry({ kind: 'vendor_linked', body: 'Acme' }))).toBe('linked it to the vendor Acme');
		expect(entryHasText(entry({ kind: 'comment', body: 'Hi' }))).toBe(true);
		expect(entryHasText(entry({ kind: 'assigned', body: 'Riley' }))).toBe(false);
	});

	it('labels moves and asks before final ones', () => {
		expect(moveAction('approved')).toEqual({ label: 'Approve', variant: 'primary' });
		expect(moveAction('something_new').label).toBe('Move to something new');
		expect(isFinalMove('approved_with_conditions')).toBe(true);
		expect(isFinalMove('withdrawn')).toBe(true);
		expect(isFinalMove('security_review')).toBe(false);
	});

	it('shows needed-by dates without shifting them across time zones', () => {
		expect(formatNeededBy('2027-01-31')).toMatch(/31/);
		expect(formatNeededBy('')).toBe('—');
	});

	it('merges reviewers of several roles by name without repeats', () => {
		const u = (id: string, name: string) => ({ id, name }) as User;
		expect(mergeReviewers([[u('2', 'Riley')], [u('1', 'Lena'), u('2', 'Riley')], [u('3', 'Alex')]]).map((x) => x.id)).toEqual([
			'3',
			'1',
			'2'
		]);
	});
});
