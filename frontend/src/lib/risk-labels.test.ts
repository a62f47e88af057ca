import { describe, expect, it } from 'vitest';
import { causeLabel, factorText, modelLabel, type RiskModel } from './risk';
import { printableTerms, reasons } from './risk/report';

describe('risk labels', () => {
	it('names every history cause in words', () => {
		expect(causeLabel('profile_edit')).toBe('Profile edited');
		expect(causeLabel('model_change')).toBe('Risk model changed');
		expect(causeLabel('exception_expired')).toBe('Exception expired');
		expect(causeLabel('something_new')).toBe('Something new');
	});

	it('shows a factor in words, falling back to readable codes', () => {
		expect(factorText({ key: 'access_level', label: 'Access', value: 'read_only', text: 'read-only', points: 6 })).toBe('read-only');
		expect(factorText({ key: 'access_level', label: 'Access', value: 'read_only', points: 6 })).toBe('read only');
	});

	it('reads option labels from the model', () => {
		const m = { labels: { access_levels: { read_only: 'read-only' } } } as unknown as RiskModel;
		expect(modelLabel(m, 'access_levels', 'read_only')).toBe('read-only');
		expect(modelLabel(m, 'access_levels', 'read_write')).toBe('read write');
	});
});

describe('the risk report', () => {
	it('lists the factors that add points, largest first', () => {
		const r = reasons([
			{ key: 'a', points: 4 },
			{ key: 'b', points: 0 },
			{ key: 'c', points: 20 }
		]);
		expect(r.map((f) => f.key)).toEqual(['c', 'a']);
		expect(reasons(null)).toEqual([]);
	});

	it('prints only the key terms that were found', () => {
		const c = { terms: [{ label: 'Governing law', value: 'Ireland', found: true }, { label: 'Liability cap', value: '', found: false }] };
		expect(printableTerms(c as never).map((t) => t.label)).toEqual(['Governing law']);
		expect(printableTerms({ terms: null } as never)).toEqual([]);
	});
});
