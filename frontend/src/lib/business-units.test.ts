import { describe, expect, it } from 'vitest';
import { unitNames, unitOptions, vendorDefaultNote, type BusinessUnit } from './business-units';

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
	it('says what a new object gets when no unit is ticked: its vendor’s units', () => {
		expect(vendorDefaultNote('contract', units, null)).toBe('None ticked: the contract takes the units of the vendor you choose.');
		expect(vendorDefaultNote('finding', units, [])).toBe('None ticked: the vendor is in no unit, so the finding will be in none.');
		expect(vendorDefaultNote('assessment', units, ['b', 'x'])).toBe(
			'None ticked: the assessment takes the vendor’s units: Corporate, a unit you are not scoped to.'
		);
		expect(vendorDefaultNote('contract', units, ['x', 'y'])).toContain('2 units you are not scoped to');
	});
});
