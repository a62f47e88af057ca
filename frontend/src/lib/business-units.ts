// Business units: who owns which vendors, and the people scoped to them (docs/business-units.md).
import { get, patch, post, put } from './api';

export interface BusinessUnit {
	id: string;
	name: string;
	description: string;
	archived: boolean;
	version: number;
	created_at: string;
	updated_at: string;
}

export interface BusinessUnitList {
	items: BusinessUnit[];
	/** The caller is scoped: the list holds only their own units. */
	scoped: boolean;
}

export function listBusinessUnits(archived = false): Promise<BusinessUnitList> {
	return get<BusinessUnitList>('/business-units' + (archived ? '?archived=true' : ''));
}

export function createBusinessUnit(body: { name: string; description?: string }): Promise<BusinessUnit> {
	return post<BusinessUnit>('/business-units', body);
}

export function updateBusinessUnit(
	id: string,
	body: { version: number; name?: string; description?: string; archived?: boolean }
): Promise<BusinessUnit> {
	return patch<BusinessUnit>(`/business-units/${encodeURIComponent(id)}`, body);
}

export function setUserBusinessUnits(userId: string, ids: string[]): Promise<{ business_unit_ids: string[] }> {
	return put(`/users/${encodeURIComponent(userId)}/business-units`, { business_unit_ids: ids });
}

/** The units' names for ids, in the order of the list; unknown ids (units the caller cannot list) are left out. */
export function unitNames(units: readonly BusinessUnit[], ids: readonly string[] | undefined): string[] {
	if (!ids || ids.length === 0) return [];
	return units.filter((u) => ids.includes(u.id)).map((u) => u.name);
}

/** Options for a units checkbox group. */
export function unitOptions(units: readonly BusinessUnit[]): { value: string; label: string }[] {
	return units.filter((u) => !u.archived).map((u) => ({ value: u.id, label: u.name }));
}

/**
 * What a new contract, assessment or finding ("noun") gets when no unit is ticked: its vendor's
 * units (the server's default, docs/business-units.md), said in words so the form does not
 * suggest "none". `vendorUnits` is null until a vendor is chosen; units the caller cannot list
 * (a scoped person's view of another unit) are counted, not named.
 */
export function vendorDefaultNote(noun: string, units: readonly BusinessUnit[], vendorUnits: readonly string[] | null): string {
	if (vendorUnits === null) return `None ticked: the ${noun} takes the units of the vendor you choose.`;
	if (vendorUnits.length === 0) return `None ticked: the vendor is in no unit, so the ${noun} will be in none.`;
	const names = unitNames(units, vendorUnits);
	const hidden = vendorUnits.length - names.length;
	const parts = [...names];
	if (hidden > 0) parts.push(hidden === 1 ? 'a unit you are not scoped to' : `${hidden} units you are not scoped to`);
	return `None ticked: the ${noun} takes the vendor’s units: ${parts.join(', ')}.`;
}
