// The contract form's state as plain data, so what is sent, what is checked first and what
// changed can be tested without a browser. Numbers stay text while typed; the API gets numbers.
import type { FieldErrors } from '../forms';
import type { Contract } from '../contracts';
import { parseWhole } from '../vocab';

export interface ContractDraft {
	vendor_id: string;
	title: string;
	type: string;
	status: string;
	parent_id: string;
	effective_date: string;
	initial_term_months: string;
	end_date: string;
	/** "unknown" until someone says: a new contract never claims it does not renew. */
	auto_renewal: 'unknown' | 'yes' | 'no';
	renewal_term_months: string;
	notice_period: string;
	notice_unit: 'days' | 'months';
	value: string;
	currency: string;
	owner_id: string;
	/** The ticked units; on create, none means the vendor's (see newContractFields). */
	business_unit_ids: string[];
}

export type ContractField = keyof ContractDraft;

export const CONTRACT_FIELDS: readonly ContractField[] = [
	'vendor_id',
	'title',
	'type',
	'status',
	'parent_id',
	'effective_date',
	'initial_term_months',
	'end_date',
	'auto_renewal',
	'renewal_term_months',
	'notice_period',
	'notice_unit',
	'value',
	'currency',
	'owner_id',
	'business_unit_ids'
];

/** Field names the form shows next to a control: server messages for others go in the banner. */
export const CONTRACT_FORM_FIELDS: readonly string[] = [...CONTRACT_FIELDS, 'business_unit_ids[]', 'custom_fields.*'];

export const FIELD_LABELS: Record<ContractField, string> = {
	vendor_id: 'Vendor',
	title: 'Title',
	type: 'Type',
	status: 'Status',
	parent_id: 'Parent contract',
	effective_date: 'Effective date',
	initial_term_months: 'Initial term',
	end_date: 'End date',
	auto_renewal: 'Renewal',
	renewal_term_months: 'Renewal term',
	notice_period: 'Notice period',
	notice_unit: 'Notice unit',
	value: 'Value',
	currency: 'Currency',
	owner_id: 'Owner',
	business_unit_ids: 'Business units'
};

const NUMBERS: Partial<Record<ContractField, { max: number; what: string }>> = {
	initial_term_months: { max: 240, what: 'months' },
	renewal_term_months: { max: 120, what: 'months' },
	notice_period: { max: 3650, what: 'days or months' },
	value: { max: 1e15, what: 'a whole amount' }
};

export function emptyDraft(vendorId = '', ownerId = ''): ContractDraft {
	return {
		vendor_id: vendorId,
		title: '',
		type: 'msa',
		status: 'draft',
		parent_id: '',
		effective_date: '',
		// Nothing is prefilled that a document could contradict: no term, no notice, no currency.
		initial_term_months: '',
		end_date: '',
		auto_renewal: 'unknown',
		renewal_term_months: '',
		notice_period: '',
		notice_unit: 'days',
		value: '',
		currency: '',
		owner_id: ownerId,
		business_unit_ids: []
	};
}

export function draftFromContract(c: Contract): ContractDraft {
	return {
		vendor_id: c.vendor_id,
		title: c.title,
		type: c.type,
		status: c.status,
		parent_id: c.parent_id ?? '',
		effective_date: c.effective_date,
		initial_term_months: c.initial_term_months ? String(c.initial_term_months) : '',
		end_date: c.end_date,
		auto_renewal: c.renewal_recorded === false ? 'unknown' : c.auto_renewal ? 'yes' : 'no',
		renewal_term_months: c.renewal_term_months ? String(c.renewal_term_months) : '',
		notice_period: c.notice_period ? String(c.notice_period) : '',
		notice_unit: c.notice_unit,
		value: c.value ? String(c.value) : '',
		currency: c.currency,
		owner_id: c.owner_id ?? '',
		business_unit_ids: [...(c.business_unit_ids ?? [])]
	};
}

function canonical(d: ContractDraft, field: ContractField): unknown {
	const v = d[field];
	if (field in NUMBERS) return parseWhole(String(v)) ?? 0;
	if (Array.isArray(v)) return [...new Set(v)].sort().join('\n');
	return typeof v === 'string' ? v.trim() : v;
}

/** The fields where `draft` differs from `base`. */
export function changedFields(base: ContractDraft, draft: ContractDraft): ContractField[] {
	return CONTRACT_FIELDS.filter((f) => canonical(base, f) !== canonical(draft, f));
}

/**
 * Problems the form can see before asking the server (which checks everything again): the
 * vendor and title are needed, numbers are whole and in range, dates are real dates.
 */
export function checkDraft(d: ContractDraft): FieldErrors {
	const errors: FieldErrors = {};
	if (!d.vendor_id) errors.vendor_id = 'Choose the vendor this contract is with.';
	if (d.title.trim() === '') errors.title = 'Enter a title, e.g. “Master services agreement”.';
	for (const [field, rule] of Object.entries(NUMBERS) as [ContractField, { max: number; what: string }][]) {
		const n = parseWhole(String(d[field]));
		if (n === null) continue;
		if (Number.isNaN(n)) errors[field] = `Enter a whole number (${rule.what}).`;
		else if (n > rule.max) errors[field] = `Enter at most ${rule.max.toLocaleString('en')}.`;
	}
	for (const field of ['effective_date', 'end_date'] as const) {
		if (d[field] !== '' && !isDate(d[field])) errors[field] = 'Enter a date such as 2027-01-31.';
	}
	if (isDate(d.effective_date) && isDate(d.end_date) && d.end_date < d.effective_date) {
		errors.end_date = 'The end date comes before the effective date.';
	}
	if ((parseWhole(d.value) ?? 0) > 0 && !/^[A-Za-z]{3}$/.test(d.currency.trim())) {
		errors.currency = 'Choose the currency of the value.';
	}
	return errors;
}

function isDate(s: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * The API body for `fields` of `draft` (every field on create). An empty number is 0; an empty
 * end date asks the server to compute it from the effective date and the initial term, and so
 * does a new effective date or initial term sent without the end date (edits send only changes).
 */
export function toInput(d: ContractDraft, fields: readonly ContractField[] = CONTRACT_FIELDS): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const f of fields) {
		if (f === 'auto_renewal') {
			// "Not recorded" sends nothing: the record stays silent rather than saying "no".
			if (d.auto_renewal !== 'unknown') out[f] = d.auto_renewal === 'yes';
		} else if (f in NUMBERS) out[f] = parseWhole(String(d[f])) ?? 0;
		else if (f === 'currency') out[f] = d.currency.trim().toUpperCase();
		else if (f === 'business_unit_ids') out[f] = [...d.business_unit_ids];
		else out[f] = typeof d[f] === 'string' ? (d[f] as string).trim() : d[f];
	}
	return out;
}

/**
 * The fields a new contract sends: all of them, except units when none is ticked, so that the
 * server gives it the vendor's units (an empty list would put it in none).
 */
export function newContractFields(d: ContractDraft): ContractField[] {
	return CONTRACT_FIELDS.filter((f) => f !== 'business_unit_ids' || d.business_unit_ids.length > 0);
}

/** "3 months", "1 month", "30 days". */
export function periodLabel(n: number, unit: 'days' | 'months'): string {
	const one = unit === 'days' ? 'day' : 'month';
	return `${n} ${n === 1 ? one : unit}`;
}
