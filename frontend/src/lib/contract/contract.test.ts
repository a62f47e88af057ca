import { describe, expect, it } from 'vitest';
import type { CalendarEvent, Contract } from '../contracts';
import { addMonths, eventHref, eventTitle, groupByMonth, isUrgent, validDay, windowFrom } from './calendar';
import { changedFields, checkDraft, draftFromContract, emptyDraft, newContractFields, toInput } from './contract-form';
import { applyDraft, checkRule, errorsByRule, requiredValue, ruleDraft, tiersText, type PlaybookRule } from './playbook';

const contract: Contract = {
	id: 'c1',
	vendor_id: 'v1',
	parent_id: null,
	title: 'MSA',
	type: 'msa',
	status: 'signed',
	effective_date: '2026-01-31',
	initial_term_months: 12,
	end_date: '2027-01-30',
	auto_renewal: true,
	renewal_recorded: true,
	renewal_term_months: 12,
	notice_period: 60,
	notice_unit: 'days',
	current_term_end: '2027-01-30',
	cancel_by: '2026-12-01',
	value: 12000,
	currency: 'EUR',
	owner_id: null,
	review_status: 'none',
	signed_off_by: null,
	signed_off_at: null,
	version: 3,
	created_at: '',
	updated_at: ''
};

describe('contract form', () => {
	it('sends every field as the API types them on create, and no default a document could contradict', () => {
		const d = { ...emptyDraft('v1', 'u1'), title: ' Order form ', value: '1,500', currency: 'usd', end_date: '' };
		const input = toInput(d);
		expect(input).toMatchObject({
			vendor_id: 'v1',
			title: 'Order form',
			initial_term_months: 0,
			notice_period: 0,
			value: 1500,
			currency: 'USD',
			end_date: '',
			owner_id: 'u1'
		});
		expect('auto_renewal' in input).toBe(false);
		expect(emptyDraft().currency).toBe('');
		expect(toInput({ ...d, auto_renewal: 'no' }).auto_renewal).toBe(false);
		expect(toInput({ ...d, auto_renewal: 'yes' }).auto_renewal).toBe(true);
		expect(draftFromContract({ ...contract, auto_renewal: false, renewal_recorded: false }).auto_renewal).toBe('unknown');
	});

	it('leaves a new contract the vendor’s units unless units are ticked', () => {
		const d = { ...emptyDraft('v1'), title: 'MSA' };
		expect('business_unit_ids' in toInput(d, newContractFields(d))).toBe(false);
		const ticked = { ...d, business_unit_ids: ['u2'] };
		expect(toInput(ticked, newContractFields(ticked)).business_unit_ids).toEqual(['u2']);
	});

	it('sends units on edit only when the boxes changed, and sends none when all were unticked', () => {
		const base = draftFromContract({ ...contract, business_unit_ids: ['a', 'b'] });
		expect(changedFields(base, { ...base, business_unit_ids: ['b', 'a'] })).toEqual([]);
		const cleared = { ...base, business_unit_ids: [] };
		const fields = changedFields(base, cleared);
		expect(fields).toEqual(['business_unit_ids']);
		expect(toInput(cleared, fields)).toEqual({ business_unit_ids: [] });
	});

	it('sends only what changed on edit, so a new start date lets the server recompute the end', () => {
		const base = draftFromContract(contract);
		const d = { ...base, effective_date: '2026-02-28', notice_period: '060' };
		const fields = changedFields(base, d);
		expect(fields).toEqual(['effective_date']);
		expect(toInput(d, fields)).toEqual({ effective_date: '2026-02-28' });
	});

	it('catches what it can before the server does', () => {
		const errors = checkDraft({
			...emptyDraft(),
			title: '  ',
			initial_term_months: '12.5',
			notice_period: '99999',
			effective_date: '2026-02-30',
			value: '10',
			currency: ''
		});
		expect(Object.keys(errors).sort()).toEqual(['currency', 'effective_date', 'initial_term_months', 'notice_period', 'title', 'vendor_id']);
		expect(checkDraft({ ...emptyDraft('v1'), title: 'x', effective_date: '2027-01-01', end_date: '2026-12-31' })).toEqual({
			end_date: 'The end date comes before the effective date.'
		});
		expect(checkDraft({ ...emptyDraft('v1'), title: 'x', effective_date: '2028-02-29' })).toEqual({});
	});
});

const ev = (date: string, kind: CalendarEvent['kind'], object_type = 'contract'): CalendarEvent => ({
	date,
	kind,
	title: `${kind === 'cancel_by' ? 'Cancel-by' : 'Term ends'}: MSA`,
	object_type,
	object_id: 'x/1',
	vendor_id: 'v1'
});

describe('renewal calendar', () => {
	it('moves by quarters, keeping month ends inside the month', () => {
		expect(windowFrom('2026-11-30')).toEqual({ from: '2026-11-30', to: '2027-02-27', previous: '2026-08-30', next: '2027-02-28' });
		expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
		expect(addMonths('2026-01-31', -2)).toBe('2025-11-30');
		expect(validDay('2026-02-29')).toBeNull();
		expect(validDay('../x')).toBeNull();
	});

	it('groups by month in date order, keeps empty months and drops what is outside the window', () => {
		const groups = groupByMonth(
			[ev('2027-01-05', 'term_end'), ev('2026-11-30', 'cancel_by'), ev('2026-11-02', 'cancel_by'), ev('2027-03-01', 'term_end')],
			{ from: '2026-11-01', to: '2027-01-31' }
		);
		expect(groups.map((g) => [g.month, g.items.map((e) => e.date)])).toEqual([
			['2026-11', ['2026-11-02', '2026-11-30']],
			['2026-12', []],
			['2027-01', ['2027-01-05']]
		]);
	});

	it('links each deadline to its object and flags cancel-by dates within 30 days', () => {
		expect(eventHref(ev('2026-12-01', 'cancel_by'))).toBe('/contracts/x%2F1');
		expect(eventHref(ev('2026-12-01', 'review_due', 'vendor'))).toBe('/vendors/x%2F1');
		expect(eventHref(ev('2026-12-01', 'finding_due', 'finding'))).toBe('/findings/x%2F1');
		expect(eventTitle(ev('2026-12-01', 'cancel_by'))).toBe('MSA');
		const today = new Date(2026, 10, 24);
		expect(isUrgent(ev('2026-12-24', 'cancel_by'), today)).toBe(true);
		expect(isUrgent(ev('2026-12-25', 'cancel_by'), today)).toBe(false);
		expect(isUrgent(ev('2026-11-23', 'cancel_by'), today)).toBe(false);
		expect(isUrgent(ev('2026-11-30', 'term_end'), today)).toBe(false);
	});
});

describe('playbook editor', () => {
	const breach: PlaybookRule = { term: 'breach_notification', check: 'max_duration', duration: { hours: 72 }, severity: 'critical', description: 'Within 72 hours' };
	const cap: PlaybookRule = { term: 'liability_cap', check: 'min_cap', months: 12, tiers: [1, 2], severity: 'high', description: 'A year of fees' };

	it('writes back only the fields the rule’s check uses, and all four tiers as "every tier"', () => {
		const d = { ...ruleDraft(breach), amount: '48', unit: 'business_days', tiers: ['2', '1'] };
		expect(applyDraft(breach, d)).toEqual({ ...breach, duration: { business_days: 48 }, tiers: [1, 2] });
		expect(applyDraft(cap, { ...ruleDraft(cap), tiers: ['1', '2', '3', '4'] })).toEqual({
			term: 'liability_cap', check: 'min_cap', months: 12, severity: 'high', description: 'A year of fees'
		});
		expect(applyDraft(cap, { ...ruleDraft(cap), money: '1,000,000', currency: 'usd' })).toMatchObject({ amount: 1_000_000, currency: 'USD' });
		// Text that is no number goes as typed, so the server names the field rather than 0 passing.
		expect(applyDraft(breach, { ...ruleDraft(breach), amount: 'soon' }).duration).toEqual({ hours: 'soon' });
	});

	it('says each rule’s value in words', () => {
		expect(requiredValue(breach)).toBe('At most 72 hours');
		expect(requiredValue({ ...breach, check: 'min_duration', duration: { days: 1 } })).toBe('At least 1 day');
		expect(requiredValue(cap)).toBe('At least 12 months of fees; uncapped meets');
		const eea = ['EU', 'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE'];
		expect(requiredValue({ ...cap, check: 'required_outside', values: eea })).toBe('Required when data leaves: EU, AT, BE, BG, HR, CY and 3 more');
		expect(requiredValue({ ...cap, check: 'one_of', values: eea.slice(0, 8) })).toBe(`One of: ${eea.slice(0, 8).join(', ')}`);
		expect(tiersText(undefined)).toBe('All tiers');
		expect(tiersText([2, 1])).toBe('Tiers 1 and 2');
		expect(tiersText([1, 2, 3])).toBe('Tiers 1, 2 and 3');
	});

	it('checks what it can before sending', () => {
		expect(checkRule(breach, { ...ruleDraft(breach), amount: '0', tiers: [] })).toEqual({
			duration: 'Enter a number more than zero.',
			tiers: 'Tick at least one tier.'
		});
		expect(checkRule(breach, ruleDraft(breach))).toEqual({});
	});

	it('sorts the server’s JSON paths by rule, folding list items into their list', () => {
		const { rules, general } = errorsByRule({
			'playbook.rules[2].percent': 'must be more than 0 and at most 100',
			'playbook.rules[2].tiers[1]': 'must be a tier number 1-10',
			'rules[0].values[3]': 'must be 1-100 characters',
			'playbook.version': 'must be 1',
			playbook: 'not valid JSON'
		});
		expect(Object.fromEntries(rules)).toEqual({
			2: { percent: 'Must be more than 0 and at most 100', tiers: 'Must be a tier number 1-10' },
			0: { values: 'Must be 1-100 characters' }
		});
		expect(general).toEqual(['version: must be 1', 'not valid JSON']);
	});
});
