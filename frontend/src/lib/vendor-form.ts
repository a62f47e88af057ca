// The vendor form's state as plain data, so the decisions around it can be tested without a
// browser: what changed, what to send, what to check before sending, and how to merge when
// someone else saved first.
import { canonicalDraft, customInput, draftFromValues, type CustomDraft, type CustomField } from './custom-fields';
import type { FieldErrors } from './forms';
import { parseWhole } from './vocab';
import type { Contact, Subprocessor, Vendor, VendorInput } from './vendors';

export interface ContactDraft {
	/** A stable key for the row while it is edited (not sent). */
	key: string;
	id?: string;
	name: string;
	email: string;
	role: string;
	phone: string;
}

export interface SubprocessorDraft {
	key: string;
	id?: string;
	/** Set when the fourth party is a vendor in the register. */
	vendor_id: string | null;
	name: string;
	purpose: string;
	data_types: string[];
	/** Comma-separated while edited. */
	locations: string;
}

export interface VendorDraft {
	name: string;
	legal_name: string;
	website: string;
	description: string;
	category: string;
	status: string;
	external_id: string;
	owner_id: string;
	department: string;
	criticality: string;
	data_types: string[];
	access_level: string;
	integration_methods: string[];
	hosting_regions: string[];
	annual_spend: string;
	currency: string;
	internal_users: string;
	contacts: ContactDraft[];
	subprocessors: SubprocessorDraft[];
	tags: string[];
	business_unit_ids: string[];
	/** Custom field values by key. */
	custom_fields: CustomDraft;
}

export type DraftField = keyof VendorDraft;

export const DRAFT_FIELDS: readonly DraftField[] = [
	'name',
	'legal_name',
	'website',
	'description',
	'category',
	'status',
	'external_id',
	'owner_id',
	'department',
	'criticality',
	'data_types',
	'access_level',
	'integration_methods',
	'hosting_regions',
	'annual_spend',
	'currency',
	'internal_users',
	'contacts',
	'subprocessors',
	'tags',
	'business_unit_ids',
	'custom_fields'
];

/** People-facing names of the fields, for conflict and change summaries. */
export const FIELD_LABELS: Record<DraftField, string> = {
	name: 'Name',
	legal_name: 'Legal name',
	website: 'Website',
	description: 'Description',
	category: 'Category',
	status: 'Status',
	external_id: 'External ID',
	owner_id: 'Business owner',
	department: 'Department',
	criticality: 'Business criticality',
	data_types: 'Data it handles',
	access_level: 'Access to our systems',
	integration_methods: 'Integration',
	hosting_regions: 'Hosting regions',
	annual_spend: 'Annual spend',
	currency: 'Currency',
	internal_users: 'Internal users',
	contacts: 'Contacts',
	subprocessors: 'Fourth parties',
	tags: 'Tags',
	business_unit_ids: 'Business units',
	custom_fields: 'Custom fields'
};

let seq = 0;
/** A key for a new row; unique within the page's life. */
export function rowKey(): string {
	seq += 1;
	return `row-${seq}`;
}

export function emptyContact(): ContactDraft {
	return { key: rowKey(), name: '', email: '', role: '', phone: '' };
}

export function emptySubprocessor(): SubprocessorDraft {
	return { key: rowKey(), vendor_id: null, name: '', purpose: '', data_types: [], locations: '' };
}

export function emptyDraft(): VendorDraft {
	return {
		name: '',
		legal_name: '',
		website: '',
		description: '',
		category: '',
		status: 'proposed',
		external_id: '',
		owner_id: '',
		department: '',
		criticality: 'medium',
		data_types: [],
		access_level: 'none',
		integration_methods: [],
		hosting_regions: [],
		annual_spend: '',
		currency: '',
		internal_users: '',
		contacts: [],
		subprocessors: [],
		tags: [],
		business_unit_ids: [],
		custom_fields: {}
	};
}

function contactDraft(c: Contact): ContactDraft {
	return { key: rowKey(), id: c.id, name: c.name, email: c.email, role: c.role, phone: c.phone };
}

function subprocessorDraft(s: Subprocessor): SubprocessorDraft {
	return {
		key: rowKey(),
		id: s.id,
		vendor_id: s.vendor_id,
		name: s.name,
		purpose: s.purpose,
		data_types: [...(s.data_types ?? [])],
		locations: (s.locations ?? []).join(', ')
	};
}

/** "EU, us-east,  EU" -> ["EU", "us-east"]: trimmed, empty and repeated entries dropped, order kept. */
export function splitLocations(text: string): string[] {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const part of text.split(',')) {
		const t = part.trim();
		if (t !== '' && !seen.has(t.toLowerCase())) {
			seen.add(t.toLowerCase());
			out.push(t);
		}
	}
	return out;
}

/** A subprocessor row as the API takes it. */
function subprocessorInput(s: SubprocessorDraft): Omit<Subprocessor, 'id'> {
	return {
		vendor_id: s.vendor_id || null,
		name: s.vendor_id ? '' : s.name.trim(),
		purpose: s.purpose.trim(),
		data_types: [...new Set(s.data_types)].sort(),
		locations: splitLocations(s.locations)
	};
}

export function draftFromVendor(v: Vendor): VendorDraft {
	return {
		name: v.name,
		legal_name: v.legal_name,
		website: v.website,
		description: v.description,
		category: v.category,
		status: v.status,
		external_id: v.external_id ?? '',
		owner_id: v.owner?.id ?? '',
		department: v.department,
		criticality: v.criticality,
		data_types: [...v.data_types],
		access_level: v.access_level,
		integration_methods: [...v.integration_methods],
		hosting_regions: [...v.hosting_regions],
		annual_spend: v.annual_spend ? String(v.annual_spend) : '',
		currency: v.currency,
		internal_users: v.internal_users ? String(v.internal_users) : '',
		contacts: v.contacts.map(contactDraft),
		subprocessors: v.subprocessors.map(subprocessorDraft),
		tags: [...v.tags],
		business_unit_ids: [...(v.business_unit_ids ?? [])],
		custom_fields: draftFromValues(v.custom_fields)
	};
}

/** A field's value as it would be saved: trimmed, rows without their keys, sets sorted. */
function canonical(draft: VendorDraft, field: DraftField): unknown {
	const value = draft[field];
	switch (field) {
		case 'contacts':
			return draft.contacts.map((c) => [c.name.trim(), c.email.trim(), c.role.trim(), c.phone.trim()]);
		case 'subprocessors':
			return draft.subprocessors.map(subprocessorInput);
		case 'data_types':
		case 'integration_methods':
		case 'tags':
		case 'business_unit_ids':
			return [...new Set((value as string[]).map((v) => v.trim()))].sort();
		case 'hosting_regions':
			return (value as string[]).map((v) => v.trim());
		case 'annual_spend':
		case 'internal_users':
			return parseWhole(value as string) ?? 0;
		case 'currency':
			return (value as string).trim().toUpperCase();
		case 'custom_fields':
			return canonicalDraft(draft.custom_fields);
		default:
			return (value as string).trim();
	}
}

export function sameField(a: VendorDraft, b: VendorDraft, field: DraftField): boolean {
	return JSON.stringify(canonical(a, field)) === JSON.stringify(canonical(b, field));
}

/** The fields where `draft` differs from `base`. */
export function changedFields(base: VendorDraft, draft: VendorDraft): DraftField[] {
	return DRAFT_FIELDS.filter((f) => !sameField(base, draft, f));
}

export interface ConflictMerge {
	/** The form to show: their version, with the fields the user changed kept as typed. */
	merged: VendorDraft;
	/** Fields both sides changed to different values: the user decides. */
	conflicts: DraftField[];
	/** Fields only they changed: taken into the form. */
	adopted: DraftField[];
}

/**
 * Three-way merge after a 409: `base` is what the user started from, `mine` what they typed,
 * `theirs` what is stored now. Fields the user did not touch take their value; fields the
 * user changed keep the user's value and are conflicts when they changed them differently.
 */
export function mergeConflict(base: VendorDraft, mine: VendorDraft, theirs: VendorDraft): ConflictMerge {
	const merged: VendorDraft = { ...theirs };
	const conflicts: DraftField[] = [];
	const adopted: DraftField[] = [];
	for (const field of DRAFT_FIELDS) {
		const iChanged = !sameField(base, mine, field);
		const theyChanged = !sameField(base, theirs, field);
		if (iChanged) {
			(merged as unknown as Record<string, unknown>)[field] = mine[field];
			if (theyChanged && !sameField(mine, theirs, field)) conflicts.push(field);
		} else if (theyChanged) {
			adopted.push(field);
		}
	}
	return { merged, conflicts, adopted };
}

/** The API body for `fields` of `draft` (all fields on create). */
export function toInput(
	draft: VendorDraft,
	fields: readonly DraftField[] = DRAFT_FIELDS,
	custom: readonly CustomField[] = []
): VendorInput {
	const out: VendorInput = {};
	const set = <K extends keyof VendorInput>(key: K, value: VendorInput[K]) => {
		out[key] = value;
	};
	for (const field of fields) {
		switch (field) {
			case 'contacts':
				set(
					'contacts',
					draft.contacts.map((c) => ({
						name: c.name.trim(),
						email: c.email.trim(),
						role: c.role.trim(),
						phone: c.phone.trim()
					}))
				);
				break;
			case 'subprocessors':
				set(
					'subprocessors',
					draft.subprocessors.map(subprocessorInput)
				);
				break;
			case 'annual_spend':
			case 'internal_users':
				set(field, parseWhole(draft[field]) ?? 0);
				break;
			case 'data_types':
			case 'integration_methods':
			case 'hosting_regions':
			case 'tags':
			case 'business_unit_ids':
				set(field, canonical(draft, field) as string[]);
				break;
			case 'currency':
				set('currency', draft.currency.trim().toUpperCase());
				break;
			case 'custom_fields':
				if (custom.length > 0) set('custom_fields', customInput(custom, draft.custom_fields));
				break;
			default:
				set(field, draft[field].trim());
		}
	}
	return out;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const URL_LIKE = /^https?:\/\/[^\s/$.?#].[^\s]*$/i;
const TAG = /^[a-z0-9][a-z0-9 ._-]*$/;

/** "acme.com" -> "https://acme.com": people rarely type the scheme. */
export function normaliseWebsite(text: string): string {
	const t = text.trim();
	if (t === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return t;
	return `https://${t}`;
}

/** What the form can tell before asking the server; keys are the API's field paths. */
export function checkDraft(draft: VendorDraft): FieldErrors {
	const errors: FieldErrors = {};
	if (draft.name.trim() === '') errors.name = 'Enter the vendor’s name.';
	if (draft.category === '') errors.category = 'Choose a category.';
	if (draft.website.trim() !== '' && !URL_LIKE.test(draft.website.trim())) {
		errors.website = 'Enter a web address like https://example.com.';
	}
	const spend = parseWhole(draft.annual_spend);
	if (Number.isNaN(spend)) errors.annual_spend = 'Enter a whole amount, like 12000.';
	const users = parseWhole(draft.internal_users);
	if (Number.isNaN(users)) errors.internal_users = 'Enter a whole number.';
	const currency = draft.currency.trim();
	if (currency !== '' && !/^[A-Za-z]{3}$/.test(currency)) {
		errors.currency = 'Use a three-letter code such as EUR or USD.';
	} else if (spend && currency === '') {
		errors.currency = 'Say which currency the spend is in.';
	}
	draft.contacts.forEach((c, i) => {
		if (c.name.trim() === '') errors[`contacts[${i}].name`] = 'Enter the contact’s name.';
		if (c.email.trim() !== '' && !EMAIL.test(c.email.trim())) {
			errors[`contacts[${i}].email`] = 'Enter an email address like name@example.com.';
		}
	});
	draft.subprocessors.forEach((s, i) => {
		if (!s.vendor_id && s.name.trim() === '') {
			errors[`subprocessors[${i}].name`] = 'Pick a vendor from the register or type a name.';
		}
	});
	const badTag = draft.tags.find((t) => !TAG.test(t.trim()));
	if (badTag !== undefined) {
		errors.tags = `“${badTag}”: use lower-case letters, digits, spaces, dots, dashes or underscores.`;
	}
	return errors;
}

/** Every field path the form shows a message beside (rows in `fieldPattern` shape). */
export const VENDOR_FORM_FIELDS: readonly string[] = [
	'name',
	'legal_name',
	'website',
	'description',
	'category',
	'status',
	'external_id',
	'owner_id',
	'department',
	'criticality',
	'data_types',
	'data_types[]',
	'access_level',
	'integration_methods',
	'integration_methods[]',
	'hosting_regions',
	'hosting_regions[]',
	'annual_spend',
	'currency',
	'internal_users',
	'contacts',
	'contacts[].name',
	'contacts[].email',
	'contacts[].role',
	'contacts[].phone',
	'subprocessors',
	'subprocessors[].name',
	'subprocessors[].vendor_id',
	'subprocessors[].purpose',
	'subprocessors[].data_types',
	'subprocessors[].data_types[]',
	'subprocessors[].locations',
	'subprocessors[].locations[]',
	'tags',
	'tags[]',
	'business_unit_ids',
	'business_unit_ids[]',
	'custom_fields.*'
];

/** A field's value as one line of text, for conflict and change summaries. */
export function describeField(
	draft: VendorDraft,
	field: DraftField,
	labels: { owner?: (id: string) => string; value?: (field: DraftField, v: string) => string } = {}
): string {
	const value = labels.value ?? ((_f: DraftField, v: string) => v);
	const list = (items: string[]) => (items.length > 0 ? items.join(', ') : '—');
	switch (field) {
		case 'contacts':
			return list(draft.contacts.map((c) => (c.email.trim() ? `${c.name.trim()} <${c.email.trim()}>` : c.name.trim())));
		case 'subprocessors':
			return list(draft.subprocessors.map((s) => s.name.trim()));
		case 'data_types':
		case 'integration_methods':
		case 'hosting_regions':
		case 'tags':
		case 'business_unit_ids':
			return list(draft[field].map((v) => value(field, v)));
		case 'owner_id':
			return draft.owner_id ? (labels.owner?.(draft.owner_id) ?? draft.owner_id) : 'No owner';
		case 'custom_fields':
			return list(canonicalDraft(draft.custom_fields).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`));
		default: {
			const text = String(canonical(draft, field));
			return text === '' ? '—' : value(field, text);
		}
	}
}
