// Admin-defined custom fields of vendors, contracts and findings: the definitions (Settings)
// and the values records carry, as forms edit them and pages show them.
import { del, get, patch, post } from './api';
import { loadOwners } from './vendor/owners';

export type CustomEntity = 'vendor' | 'contract' | 'finding';
export type CustomType = 'text' | 'number' | 'date' | 'single_choice' | 'multiple_choice' | 'user' | 'url';

export const CUSTOM_ENTITIES: readonly CustomEntity[] = ['vendor', 'contract', 'finding'];
export const CUSTOM_TYPES: readonly CustomType[] = ['text', 'number', 'date', 'single_choice', 'multiple_choice', 'user', 'url'];

export const ENTITY_LABELS: Record<CustomEntity, string> = { vendor: 'Vendors', contract: 'Contracts', finding: 'Findings' };
export const TYPE_LABELS: Record<CustomType, string> = {
	text: 'Text',
	number: 'Number',
	date: 'Date',
	single_choice: 'Single choice',
	multiple_choice: 'Multiple choice',
	user: 'User',
	url: 'URL'
};

export interface CustomField {
	id: string;
	entity_type: CustomEntity;
	key: string;
	label: string;
	type: CustomType;
	help_text: string;
	required: boolean;
	options: string[];
	position: number;
	archived_at: string | null;
	version: number;
	created_at: string;
	updated_at: string;
}

/** Values by key as the API gives them: text, a number, or a list of options. */
export type CustomValues = Record<string, string | number | string[]>;
/** Values as a form edits them: text for every type but multiple choice. */
export type CustomDraft = Record<string, string | string[]>;

export async function listCustomFields(entity?: CustomEntity, archived = false): Promise<CustomField[]> {
	const page = await get<{ items: CustomField[] }>('/settings/custom-fields', {
		query: { entity_type: entity, archived: archived ? 'true' : undefined }
	});
	return page.items;
}

export interface NewCustomField {
	entity_type: CustomEntity;
	key: string;
	label: string;
	type: CustomType;
	help_text: string;
	required: boolean;
	options: string[];
}

export function createCustomField(body: NewCustomField): Promise<CustomField> {
	return post<CustomField>('/settings/custom-fields', body);
}

export function updateCustomField(
	id: string,
	body: { version: number; label?: string; help_text?: string; required?: boolean; options?: string[]; archived?: boolean }
): Promise<CustomField> {
	return patch<CustomField>(`/settings/custom-fields/${encodeURIComponent(id)}`, body);
}

export function deleteCustomField(id: string): Promise<void> {
	return del<void>(`/settings/custom-fields/${encodeURIComponent(id)}`);
}

export async function reorderCustomFields(entity: CustomEntity, ids: string[]): Promise<CustomField[]> {
	return (await post<{ items: CustomField[] }>('/settings/custom-fields/reorder', { entity_type: entity, ids })).items;
}

const cache = new Map<CustomEntity, Promise<CustomField[]>>();

/** The entity's active fields, asked once per page load (again after a failure or a change). */
export function loadCustomFields(entity: CustomEntity): Promise<CustomField[]> {
	let p = cache.get(entity);
	if (!p) {
		p = listCustomFields(entity).catch((err: unknown) => {
			cache.delete(entity);
			throw err;
		});
		cache.set(entity, p);
	}
	return p;
}

/** Forget loaded definitions after Settings changes them. */
export function forgetCustomFields(): void {
	cache.clear();
}

/** Stored values as a form draft, without knowing the fields (conflict merges compare these). */
export function draftFromValues(values: CustomValues | undefined): CustomDraft {
	const out: CustomDraft = {};
	for (const [k, v] of Object.entries(values ?? {})) out[k] = Array.isArray(v) ? [...v] : String(v);
	return out;
}

/** A draft's values as saved: empty ones dropped, keys and options sorted. */
export function canonicalDraft(draft: CustomDraft): [string, string | string[]][] {
	return Object.entries(draft)
		.map(([k, v]): [string, string | string[]] => [k, Array.isArray(v) ? [...v].sort() : v.trim()])
		.filter(([, v]) => v.length > 0)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A key suggested from a label: "Cost centre (EU)" -> "cost_centre_eu". */
export function keyFromLabel(label: string): string {
	const k = label
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.replace(/^[^a-z]+/, '');
	return k.slice(0, 40);
}

/** Options typed one per line. */
export function parseOptions(text: string): string[] {
	return [...new Set(text.split('\n').map((o) => o.trim()).filter(Boolean))];
}

/** The form's values for `fields` from a record's stored values. */
export function customDraft(fields: readonly CustomField[], values: CustomValues | undefined): CustomDraft {
	const out: CustomDraft = {};
	for (const f of fields) {
		const v = values?.[f.key];
		if (f.type === 'multiple_choice') out[f.key] = Array.isArray(v) ? [...v] : [];
		else out[f.key] = v === undefined || v === null ? '' : String(v);
	}
	return out;
}

/**
 * The API's custom_fields for a draft: every shown field, an empty one as null (which clears
 * it), numbers as numbers when they read as one (otherwise as typed, for the server to refuse
 * with its message).
 */
export function customInput(fields: readonly CustomField[], draft: CustomDraft): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const f of fields) {
		const v = draft[f.key];
		if (Array.isArray(v)) {
			out[f.key] = v.length > 0 ? [...v].sort() : null;
			continue;
		}
		const t = (v ?? '').trim();
		if (t === '') out[f.key] = null;
		else if (f.type === 'number' && t.replace(/[\s,]/g, '') !== '' && !Number.isNaN(Number(t.replace(/[\s,]/g, ''))))
			out[f.key] = Number(t.replace(/[\s,]/g, ''));
		else out[f.key] = t;
	}
	return out;
}

/**
 * Names for user fields' values, for formatCustomValue: the people list is asked for only when a
 * field is a user field and the reader may list people (otherwise values show as stored).
 */
export async function personNames(fields: readonly CustomField[], mayListPeople: boolean): Promise<((id: string) => string | undefined) | undefined> {
	if (!mayListPeople || !fields.some((f) => f.type === 'user')) return undefined;
	const byId = new Map((await loadOwners()).map((p) => [p.id, p.name]));
	return (id) => byId.get(id);
}

/** A value as one line of text; users by name when `userName` knows them. */
export function formatCustomValue(
	field: Pick<CustomField, 'type'>,
	value: string | number | string[] | undefined,
	userName?: (id: string) => string | undefined
): string {
	if (value === undefined || value === null || value === '') return '—';
	if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : '—';
	if (field.type === 'number' && typeof value === 'number') return value.toLocaleString('en');
	if (field.type === 'user') return userName?.(String(value)) ?? String(value);
	return String(value);
}

/** The field paths custom field messages arrive under, for splitSubmitError. */
export function customErrorPaths(fields: readonly CustomField[]): string[] {
	return fields.map((f) => `custom_fields.${f.key}`);
}

/** A custom field's sort or filter key: "cf.<key>". */
export const CUSTOM_LIST_KEY = /^cf\.[a-z][a-z0-9_]{0,39}$/;

/** The fields a list offers a filter for: active choice and text ones. */
export function filterableFields(fields: readonly CustomField[]): CustomField[] {
	return fields.filter((f) => !f.archived_at && ['single_choice', 'multiple_choice', 'text', 'url'].includes(f.type));
}

/** A list URL's cf.<key> filters by key, blank ones left out. */
export function parseCustomFilters(params: URLSearchParams): Record<string, string> {
	return Object.fromEntries(
		[...params.entries()].filter(([k, v]) => CUSTOM_LIST_KEY.test(k) && v.trim() !== '').map(([k, v]) => [k.slice(3), v.trim()])
	);
}

/** The sorts a list's URL may name: its own, or the custom field its sort parameter names. */
export function sortsWithCustom(raw: string | null, builtIn: readonly string[]): readonly string[] {
	const key = (raw ?? '').replace(/^-/, '');
	return CUSTOM_LIST_KEY.test(key) ? [key] : builtIn;
}

/** URL (or API) parameters for custom filters; an empty value removes its parameter. */
export function customFilterParams(cf: Record<string, string>): Record<string, string | null> {
	return Object.fromEntries(Object.entries(cf).map(([k, v]) => [`cf.${k}`, v || null]));
}
