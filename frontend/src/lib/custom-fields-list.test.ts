import { describe, expect, it } from 'vitest';
import { customFilterParams, filterableFields, parseCustomFilters, sortsWithCustom, type CustomField } from './custom-fields';
import { findingApiQuery, findingListParams, parseFindingList } from './findings';

const field = (key: string, type: CustomField['type'], archived = false) =>
	({ id: key, key, type, label: key, options: [], archived_at: archived ? '2026-01-01T00:00:00Z' : null }) as unknown as CustomField;

describe('custom field list controls', () => {
	it('reads cf.<key> filters and leaves out blank and malformed keys', () => {
		expect(parseCustomFilters(new URLSearchParams('cf.region=EU&cf.note=+x+&cf.=a&cf.Bad=1&cf.empty=&q=z'))).toEqual({ region: 'EU', note: 'x' });
	});

	it('lets the sort name a custom field, otherwise only the built-in sorts', () => {
		expect(sortsWithCustom('-cf.region', ['name'])).toEqual(['cf.region']);
		expect(sortsWithCustom('cf.DROP TABLE', ['name'])).toEqual(['name']);
		expect(sortsWithCustom(null, ['name'])).toEqual(['name']);
	});

	it('removes a cleared filter from the URL', () => {
		expect(customFilterParams({ region: 'EU', note: '' })).toEqual({ 'cf.region': 'EU', 'cf.note': null });
	});

	it('filters by active choice and text fields only', () => {
		const fields = [field('a', 'single_choice'), field('b', 'number'), field('c', 'text', true), field('d', 'url'), field('e', 'multiple_choice')];
		expect(filterableFields(fields).map((f) => f.key)).toEqual(['a', 'd', 'e']);
	});

	it('carries custom filters and sorts through the findings list state', () => {
		const s = parseFindingList(new URLSearchParams('cf.ticket=T-1&sort=-cf.ticket'));
		expect(s.cf).toEqual({ ticket: 'T-1' });
		expect(s.sort).toEqual({ key: 'cf.ticket', direction: 'desc' });
		expect(findingApiQuery(s, undefined)).toMatchObject({ 'cf.ticket': 'T-1', sort: '-cf.ticket' });
		expect(findingListParams({ cf: { ticket: '' } })).toEqual({ 'cf.ticket': null });
	});
});
