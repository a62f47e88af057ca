// The clause playbook as the settings page reads and edits it (the format of
// app/contracts/playbook and seeds/playbook/playbook.json): each rule's required value in words,
// a draft of the parts a person edits (value, tiers, severity, description), and the server's
// per-field messages, whose names are JSON paths such as "rules[2].duration", sorted by rule.
import type { FieldErrors } from '../forms';

export interface PlaybookRule {
	term: string;
	check: string;
	duration?: Record<string, number>;
	percent?: number;
	months?: number;
	amount?: number;
	currency?: string;
	values?: string[];
	tiers?: number[];
	severity: string;
	description: string;
}

export interface Playbook {
	version: number;
	rules: PlaybookRule[];
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const UNITS = ['hours', 'days', 'business_days', 'weeks', 'months', 'years'] as const;
/** The tiers the risk model assigns; a rule without tiers applies to all of them. */
export const TIERS = [1, 2, 3, 4] as const;

const UNIT_LABELS: Record<string, [string, string]> = {
	hours: ['hour', 'hours'],
	days: ['day', 'days'],
	business_days: ['business day', 'business days'],
	weeks: ['week', 'weeks'],
	months: ['month', 'months'],
	years: ['year', 'years']
};

export const TERM_LABELS: Record<string, string> = {
	governing_law: 'Governing law',
	auto_renewal: 'Automatic renewal',
	renewal_term: 'Renewal term',
	non_renewal_notice: 'Notice to stop renewal',
	termination_for_convenience: 'Termination for convenience',
	cure_period: 'Cure period',
	data_return_deletion: 'Data return and deletion',
	breach_notification: 'Breach notification',
	audit_rights: 'Audit rights',
	subprocessor_changes: 'Subprocessor changes',
	data_location: 'Data location',
	transfer_mechanism: 'Transfer mechanism',
	liability_cap: 'Liability cap',
	sla_uptime: 'SLA uptime',
	service_credits: 'Service credits',
	insurance: 'Insurance',
	confidentiality_survival: 'Confidentiality survival'
};

export function termLabel(term: string): string {
	return TERM_LABELS[term] ?? term;
}

export function unitLabel(unit: string, n = 2): string {
	const l = UNIT_LABELS[unit];
	return l ? l[n === 1 ? 0 : 1] : unit;
}

/** What a rule's check asks of its value, which decides the controls the editor shows. */
export type ValueKind = 'duration' | 'percent' | 'cap' | 'amount' | 'values' | 'none';

export function valueKind(check: string): ValueKind {
	switch (check) {
		case 'max_duration':
		case 'min_duration':
		case 'min_notice_with_objection':
			return 'duration';
		case 'min_percent':
			return 'percent';
		case 'min_cap':
			return 'cap';
		case 'min_amount':
			return 'amount';
		case 'one_of':
		case 'required_outside':
			return 'values';
		default:
			return 'none';
	}
}

function money(amount: number | undefined, currency: string | undefined): string {
	return `${currency ?? ''} ${(amount ?? 0).toLocaleString('en')}`.trim();
}

function durationText(d: Record<string, number> | undefined): string {
	const [unit, n] = Object.entries(d ?? {})[0] ?? ['days', 0];
	return `${n} ${unitLabel(unit, n)}`;
}

/** A long list (the EU/EEA countries) as its first few entries and a count. */
function shortList(values: readonly string[] = [], max = 8): string {
	if (values.length <= max) return values.join(', ');
	return `${values.slice(0, max - 2).join(', ')} and ${values.length - (max - 2)} more`;
}

/** The rule's required value in words: "At most 72 hours", "One of: Ireland, Germany". */
export function requiredValue(r: PlaybookRule): string {
	switch (r.check) {
		case 'max_duration':
			return `At most ${durationText(r.duration)}`;
		case 'min_duration':
			return `At least ${durationText(r.duration)}`;
		case 'min_notice_with_objection':
			return `At least ${durationText(r.duration)} notice, with a right to object`;
		case 'min_percent':
			return `At least ${r.percent ?? 0}%`;
		case 'min_cap':
			return `At least ${r.months ?? 0} ${r.months === 1 ? 'month' : 'months'} of fees${r.amount ? ` or ${money(r.amount, r.currency)}` : ''}; uncapped meets`;
		case 'min_amount':
			return `At least ${money(r.amount, r.currency)}`;
		case 'one_of':
			return `One of: ${shortList(r.values)}`;
		case 'required_outside':
			return `Required when data leaves: ${shortList(r.values)}`;
		case 'required':
			return 'Required';
		case 'forbidden':
			return 'Must not be in the contract';
		case 'customer_may':
			return 'We may do this';
		default:
			return r.check;
	}
}

/** "Tiers 1 and 2", "Tier 1", "All tiers". */
export function tiersText(tiers: readonly number[] | undefined): string {
	if (!tiers || tiers.length === 0) return 'All tiers';
	const sorted = [...tiers].sort((a, b) => a - b);
	if (sorted.length === 1) return `Tier ${sorted[0]}`;
	return `Tiers ${sorted.slice(0, -1).join(', ')} and ${sorted[sorted.length - 1]}`;
}

/** The parts of a rule a person edits, as form text. */
export interface RuleDraft {
	amount: string;
	unit: string;
	percent: string;
	months: string;
	money: string;
	currency: string;
	values: string[];
	/** Ticked tiers as strings (checkbox values); all ticked means every tier. */
	tiers: string[];
	severity: string;
	description: string;
}

export function ruleDraft(r: PlaybookRule): RuleDraft {
	const [unit, n] = Object.entries(r.duration ?? {})[0] ?? ['days', 0];
	return {
		amount: r.duration ? String(n) : '',
		unit,
		percent: r.percent !== undefined ? String(r.percent) : '',
		months: r.months !== undefined ? String(r.months) : '',
		money: r.amount !== undefined ? String(r.amount) : '',
		currency: r.currency ?? '',
		values: [...(r.values ?? [])],
		tiers: (r.tiers && r.tiers.length > 0 ? r.tiers : TIERS).map(String),
		severity: r.severity,
		description: r.description
	};
}

function num(text: string): number {
	const clean = text.trim().replace(/[\s,_]/g, '');
	return clean === '' ? Number.NaN : Number(clean);
}

/**
 * The rule with the draft's edits: only the fields its check uses are written, so the server's
 * strict reading accepts it; text that is not a number is sent as sent so the server names it.
 */
export function applyDraft(r: PlaybookRule, d: RuleDraft): PlaybookRule {
	const out: PlaybookRule = { ...r, severity: d.severity, description: d.description.trim() };
	const kind = valueKind(r.check);
	const n = (text: string) => {
		const v = num(text);
		return Number.isFinite(v) ? v : (text as unknown as number);
	};
	if (kind === 'duration') out.duration = { [d.unit]: n(d.amount) };
	if (kind === 'percent') out.percent = n(d.percent);
	if (kind === 'cap') {
		out.months = n(d.months);
		if (d.money.trim() !== '' || d.currency.trim() !== '') {
			out.amount = n(d.money);
			out.currency = d.currency.trim().toUpperCase();
		} else {
			delete out.amount;
			delete out.currency;
		}
	}
	if (kind === 'amount') {
		out.amount = n(d.money);
		out.currency = d.currency.trim().toUpperCase();
	}
	if (kind === 'values') out.values = d.values.map((v) => v.trim()).filter((v) => v !== '');
	const tiers = d.tiers.map(Number).sort((a, b) => a - b);
	const everyTier = TIERS.every((t) => tiers.includes(t)) && tiers.every((t) => (TIERS as readonly number[]).includes(t));
	if (everyTier) delete out.tiers;
	else out.tiers = tiers;
	return out;
}

/** Problems the page can see before sending: empty tiers (a rule for no vendor) and non-numbers. */
export function checkRule(r: PlaybookRule, d: RuleDraft): FieldErrors {
	const errors: FieldErrors = {};
	const kind = valueKind(r.check);
	const positive = (text: string) => Number.isFinite(num(text)) && num(text) > 0;
	if (d.tiers.length === 0) errors.tiers = 'Tick at least one tier.';
	if (kind === 'duration' && !positive(d.amount)) errors.duration = 'Enter a number more than zero.';
	if (kind === 'percent' && !positive(d.percent)) errors.percent = 'Enter a percentage more than zero.';
	if (kind === 'cap' && !positive(d.months)) errors.months = 'Enter a number of months.';
	if (kind === 'amount' && !positive(d.money)) errors.amount = 'Enter an amount more than zero.';
	if (kind === 'values' && d.values.every((v) => v.trim() === '')) errors.values = 'List at least one value.';
	if (d.description.trim() === '') errors.description = 'Describe the rule in a sentence.';
	return errors;
}

export interface RuleErrors {
	/** By the rule's field ("duration", "tiers", "values"); list items fold into their list. */
	[field: string]: string;
}

/**
 * Server messages sorted by rule: "rules[2].duration" -> rule 2, field "duration";
 * "rules[2].tiers[0]" -> field "tiers". A leading "playbook." is dropped. Messages about the
 * whole document are returned under `general`.
 */
export function errorsByRule(fields: Record<string, string>): { rules: Map<number, RuleErrors>; general: string[] } {
	const rules = new Map<number, RuleErrors>();
	const general: string[] = [];
	for (const [raw, message] of Object.entries(fields)) {
		const path = raw.replace(/^playbook\.?/, '');
		const m = /^rules\[(\d+)\]\.?([a-z_]*)/.exec(path);
		if (!m) {
			general.push(path ? `${path}: ${message}` : message);
			continue;
		}
		const i = Number(m[1]);
		const field = m[2] || 'rule';
		const errs = rules.get(i) ?? {};
		errs[field] ??= message.charAt(0).toUpperCase() + message.slice(1);
		rules.set(i, errs);
	}
	return { rules, general };
}

/** Reads the API's playbook document, tolerating a missing rule list. */
export function asPlaybook(value: unknown): Playbook {
	const v = (value ?? {}) as Partial<Playbook>;
	return { version: typeof v.version === 'number' ? v.version : 1, rules: Array.isArray(v.rules) ? v.rules : [] };
}
