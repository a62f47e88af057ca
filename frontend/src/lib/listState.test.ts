import { describe, expect, it } from 'vitest';
import { apiFilters, clearFilters, readList, type ListSpec } from './listState';

const spec: ListSpec<'q' | 'status', 'tab'> = {
	filters: { q: 'text', status: ['open', 'closed'] },
	views: { tab: ['all', 'queue'] },
	sorts: ['title', 'created_at'],
	defaultSort: { key: 'created_at', direction: 'desc' }
};

const read = (qs: string) => readList(new URLSearchParams(qs), spec);

describe('readList', () => {
	it('gives "any" and the default sort for an empty URL', () => {
		expect(read('')).toEqual({
			filters: { q: '', status: '' },
			views: { tab: '' },
			sort: { key: 'created_at', direction: 'desc' },
			filtered: false
		});
	});

	it('reads free text as is and fixed values only when allowed', () => {
		const v = read('q=acme%20ltd&status=open&tab=queue');
		expect(v.filters).toEqual({ q: 'acme ltd', status: 'open' });
		expect(v.views).toEqual({ tab: 'queue' });
		expect(v.filtered).toBe(true);
		expect(read('status=bogus&tab=nope').filters.status).toBe('');
		expect(read('status=bogus&tab=nope').views.tab).toBe('');
	});

	it('does not count a view or the sort as a filter', () => {
		expect(read('tab=queue&sort=title').filtered).toBe(false);
	});

	it('reads the sort, falling back on unknown keys', () => {
		expect(read('sort=title').sort).toEqual({ key: 'title', direction: 'asc' });
		expect(read('sort=-title').sort).toEqual({ key: 'title', direction: 'desc' });
		expect(read('sort=-password').sort).toEqual({ key: 'created_at', direction: 'desc' });
	});

	it('has no sort when the list is not sortable', () => {
		expect(readList(new URLSearchParams('sort=title'), { filters: { q: 'text' } }).sort).toBeNull();
	});
});

describe('clearFilters', () => {
	it('removes every filter but not the view', () => {
		expect(clearFilters(spec)).toEqual({ q: null, status: null });
	});
});

describe('apiFilters', () => {
	it('leaves "any" out of the request', () => {
		expect(apiFilters({ q: '', status: 'open' })).toEqual({ status: 'open' });
	});
});
