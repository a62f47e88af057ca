import { describe, expect, it } from 'vitest';
import { unitNames, unitOptions, type BusinessUnit } from './business-units';

const unit = (id: string, name: string, archived = false): BusinessUnit => ({
	id,
	name,
	description: '',
	archived,
	version: 1,
	created_at: '',
	updated_at: ''
});

describe('business units', () => {
	const units = [unit('a', 'Retail banking'), unit('b', 'Corporate'), unit('c', 'Old', true)];
	it('names the units of an object in list order and skips ids the caller cannot list', () => {
		expect(unitNames(units, ['b', 'a', 'zzz'])).toEqual(['Retail banking', 'Corporate']);
		expect(unitNames(units, undefined)).toEqual([]);
	});
	it('offers only units in use', () => {
		expect(unitOptions(units).map((o) => o.label)).toEqual(['Retail banking', 'Corporate']);
	});
});
