import { customInput, type CustomField } from './custom-fields';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { auditChanges, auditValue, fieldLabel } from './audit';
import { errorUnder, fieldPattern, removeRowErrors, splitSubmitError } from './forms';
import { withQuery } from './query';
import {
	changedFields,
	checkDraft,
	describeField,
	draftFromVendor,
	emptyContact,
	emptyDraft,
	emptySubprocessor,
	mergeConflict,
	normaliseWebsite,
	splitLocations,
	toInput,
	VENDOR_FORM_FIELDS,
	type VendorDraft
} from './vendor-form';
import {
	CLEAR_VENDOR_FILTERS,
	isFiltered,
	parseList,
	parseVendorList,
	vendorApiQuery,
	vendorListParams
} from './vendor-list';
import { vendorExportUrl, type Vendor } from './vendors';
import { displayUrl, formatMoney, label, parseWhole, safeHref } from './vocab';

const url = (qs: string) => new URL(`http://x/vendors${qs}`);

describe('vendor list state in the URL', () => {
	it('reads every filter, keeping only known values in canonical order', () => {
		const state = parseVendorList(
			url(
				'?q=%20acme%20&status=rejected,active,bogus,active&category=saas&department=Finance&owner_id=u1&tag=SOC2&unit=u-retail&data_type=health_data&criticality=high&archived=true&sort=-annual_spend'
			).searchParams
		);
		expect(state).toEqual({
			q: 'acme',
			status: ['active', 'rejected'],
			category: ['saas'],
			department: 'Finance',
			unit: 'u-retail',
			owner_id: 'u1',
			tag: 'soc2',
			data_type: 'health_data',
			criticality: 'high',
			tier: '',
			review: '',
			evidence: '',
			likelihood: '',
			impact: '',
			archived: true,
			cf: {},
			sort: { key: 'annual_spend', direction: 'desc' }
		});
	});

	it('reads custom field filters and sorts and sends them to the API', () => {
		const state = parseVendorList(url('?cf.residency=EU&cf.Bad=x&cf.tier=%20&sort=-cf.spend').searchParams);
		expect(state.cf).toEqual({ residency: 'EU' });
		expect(state.sort).toEqual({ key: 'cf.spend', direction: 'desc' });
		expect(isFiltered(state)).toBe(true);
		expect(vendorApiQuery(state)).toMatchObject({ 'cf.residency': 'EU', sort: '-cf.spend' });
		expect(vendorListParams({ cf: { residency: '' } })).toEqual({ 'cf.residency': null });
		expect(parseVendorList(url('?sort=cf.%3Cscript%3E').searchParams).sort).toEqual({ key: 'name', direction: 'asc' });
	});

	it('sends custom field values with the types the API takes', () => {
		const fields = [
			{ key: 'spend', type: 'number' },
			{ key: 'code', type: 'text' },
			{ key: 'regions', type: 'multiple_choice' },
			{ key: 'gone', type: 'date' }
		] as CustomField[];
		expect(customInput(fields, { spend: ' 1,200.5 ', code: ' 0042 ', regions: ['US', 'EU'], gone: '' })).toEqual({
			spend: 1200.5,
			code: '0042',
			regions: ['EU', 'US'],
			gone: null
		});
		expect(customInput(fields, { spend: 'lots', code: '', regions: [] })).toEqual({ spend: 'lots', code: null, regions: null, gone: null });
	});

	it('reads the evidence-gaps filter and sends it to the API', () => {
		const state = parseVendorList(url('?evidence=gaps').searchParams);
		expect(state.evidence).toBe('gaps');
		expect(vendorApiQuery(state)).toMatchObject({ evidence: 'gaps' });
		expect(parseVendorList(url('?evidence=all').searchParams).evidence).toBe('');
	});

	it('reads a heat map cell and sends it to the API', () => {
		const state = parseVendorList(url('?likelihood=4&impact=3').searchParams);
		expect([state.likelihood, state.impact]).toEqual(['4', '3']);
		expect(vendorApiQuery(state)).toMatchObject({ likelihood: '4', impact: '3' });
		expect(parseVendorList(url('?likelihood=6&impact=0').searchParams)).toMatchObject({ likelihood: '', impact: '' });
	});

	it('falls back to defaults for missing or unknown values', () => {
		const state = parseVendorList(url('?criticality=extreme&data_type=x&sort=-password&archived=yes').searchParams);
		expect(state.criticality).toBe('');
		expect(state.data_type).toBe('');
		expect(state.archived).toBe(false);
		expect(state.sort).toEqual({ key: 'name', direction: 'asc' });
		expect(isFiltered(state)).toBe(false);
		expect(parseList(null, ['a'])).toEqual([]);
	});

	it('writes changes back, leaving defaults out of the URL', () => {
		const u = url('?q=acme&sort=-name');
		expect(withQuery(u, vendorListParams({ status: ['active', 'in_review'] }))).toBe(
			'/vendors?q=acme&sort=-name&status=active%2Cin_review'
		);
		expect(withQuery(u, vendorListParams({ sort: { key: 'name', direction: 'asc' }, status: [] }))).toBe(
			'/vendors?q=acme'
		);
		expect(withQuery(u, vendorListParams({ archived: true }))).toBe('/vendors?archived=true&q=acme&sort=-name');
		expect(withQuery(u, vendorListParams({ archived: false, q: '' }))).toBe('/vendors?sort=-name');
		expect(withQuery(url('?q=a&status=active&archived=true&sort=status'), CLEAR_VENDOR_FILTERS)).toBe(
			'/vendors?sort=status'
		);
	});

	it('round-trips: what is written reads back the same', () => {
		const state = parseVendorList(url('?status=active,approved&category=saas,payment&tag=gdpr&sort=-updated_at').searchParams);
		const again = parseVendorList(new URL(`http://x${withQuery(url(''), vendorListParams(state))}`).searchParams);
		expect(again).toEqual(state);
	});

	it('turns the state into API parameters and export links', () => {
		const state = parseVendorList(url('?status=active,approved&q=pay&archived=true').searchParams);
		const query = vendorApiQuery(state);
		expect(query).toEqual({
			q: 'pay',
			status: 'approved,active',
			category: undefined,
			department: undefined,
			owner_id: undefined,
			tag: undefined,
			data_type: undefined,
			criticality: undefined,
			tier: undefined,
			review: undefined,
			archived: 'true',
			sort: 'name'
		});
		expect(vendorExportUrl('csv', { ...query, limit: 50, cursor: 'abc' })).toBe(
			'/api/v1/vendors/export.csv?q=pay&status=approved%2Cactive&archived=true&sort=name'
		);
		expect(vendorExportUrl('xlsx', {})).toBe('/api/v1/vendors/export.xlsx');
	});
});

describe('server field errors with nested paths', () => {
	it('matches row fields by their shape', () => {
		expect(fieldPattern('contacts[0].email')).toBe('contacts[].email');
		expect(fieldPattern('subprocessors[12].vendor_id')).toBe('subprocessors[].vendor_id');
		expect(fieldPattern('name')).toBe('name');
	});

	it('puts nested messages beside their rows and the rest in the banner', () => {
		const error = new ApiError({
			type: 'urn:rampart:problem:validation',
			title: 'Unprocessable Entity',
			status: 422,
			errors: [
				{ field: 'contacts[1].email', message: 'must be a valid email address' },
				{ field: 'tags[2]', message: 'is too long' },
				{ field: 'website', message: 'must be a valid URL' }
			]
		});
		const split = splitSubmitError(error, VENDOR_FORM_FIELDS);
		expect(split.fields).toEqual({
			'contacts[1].email': 'Must be a valid email address',
			'tags[2]': 'Is too long',
			website: 'Must be a valid URL'
		});
		expect(split.banner).toBeNull();

		const unknown = new ApiError({
			type: 'x',
			title: 'Unprocessable Entity',
			status: 422,
			errors: [{ field: 'archived', message: 'the vendor is archived' }]
		});
		expect(splitSubmitError(unknown, VENDOR_FORM_FIELDS).banner).toBe(unknown);
	});

	it('finds a list field’s message on the list or any of its items', () => {
		expect(errorUnder({ 'tags[3]': 'bad' }, 'tags')).toBe('bad');
		expect(errorUnder({ tags: 'too many' }, 'tags')).toBe('too many');
		expect(errorUnder({ tagsx: 'no' }, 'tags')).toBeUndefined();
	});

	it('moves row messages up when a row is removed', () => {
		const errors = {
			name: 'required',
			'contacts[0].name': 'a',
			'contacts[1].email': 'b',
			'contacts[2].name': 'c',
			'contacts[10].phone': 'd',
			'subprocessors[1].name': 'e'
		};
		expect(removeRowErrors(errors, 'contacts', 1)).toEqual({
			name: 'required',
			'contacts[0].name': 'a',
			'contacts[1].name': 'c',
			'contacts[9].phone': 'd',
			'subprocessors[1].name': 'e'
		});
		expect(removeRowErrors(errors, 'contacts', 0)['contacts[0].email']).toBe('b');
	});
});

function vendor(overrides: Partial<Vendor> = {}): Vendor {
	return {
		id: 'v1',
		custom_fields: { cost_centre: 'FIN-7', residency: ['EU'] },
		name: 'Acme',
		legal_name: 'Acme GmbH',
		lei: '',
		dora_country: '',
		dora_person_type: '',
		dora_parent_lei: '',
		dora_intra_group: false,
		website: 'https://acme.example',
		domain: 'acme.example',
		category: 'saas',
		status: 'active',
		owner: { id: 'u1', name: 'Riley Chen', email: 'risk@example.com' },
		department: 'Finance',
		data_types: ['confidential', 'customer_data'],
		access_level: 'read_only',
		integration_methods: ['sso'],
		hosting_regions: ['EU'],
		annual_spend: 12000,
		currency: 'EUR',
		internal_users: 40,
		criticality: 'high',
		tags: ['gdpr'],
		external_id: null,
		archived_at: null,
		version: 3,
		created_at: '2026-01-01T00:00:00Z',
		updated_at: '2026-01-02T00:00:00Z',
		description: 'Payroll',
		business_unit_ids: [],
		next_statuses: ['offboarding'],
		contacts: [{ id: 'c1', name: 'Noor', email: 'noor@acme.example', role: 'DPO', phone: '' }],
		subprocessors: [
			{ id: 's1', vendor_id: 'v2', name: 'Cloudco', purpose: 'Hosting', data_types: ['customer_data'], locations: ['Ireland', 'Germany'] },
			{ id: 's2', vendor_id: null, name: 'Mailer', purpose: 'Email', data_types: [], locations: [] }
		],
		...overrides
	};
}

describe('the vendor form', () => {
	it('sees no change in a freshly loaded vendor, even with reordered sets and padding', () => {
		const base = draftFromVendor(vendor());
		const draft = draftFromVendor(vendor());
		draft.data_types = ['customer_data', 'confidential'];
		draft.name = ' Acme ';
		draft.annual_spend = '12,000';
		expect(changedFields(base, draft)).toEqual([]);
	});

	it('sends only what changed, in the API’s shapes', () => {
		const base = draftFromVendor(vendor());
		const draft = draftFromVendor(vendor());
		draft.department = ' People ';
		draft.currency = 'gbp';
		draft.contacts.push({ ...emptyContact(), name: 'Ann', email: 'ann@acme.example' });
		draft.subprocessors[0]!.purpose = 'Cloud hosting';
		const fields = changedFields(base, draft);
		expect(fields).toEqual(['department', 'currency', 'contacts', 'subprocessors']);
		expect(toInput(draft, fields)).toEqual({
			department: 'People',
			currency: 'GBP',
			contacts: [
				{ name: 'Noor', email: 'noor@acme.example', role: 'DPO', phone: '' },
				{ name: 'Ann', email: 'ann@acme.example', role: '', phone: '' }
			],
			subprocessors: [
				{ vendor_id: 'v2', name: '', purpose: 'Cloud hosting', data_types: ['customer_data'], locations: ['Ireland', 'Germany'] },
				{ vendor_id: null, name: 'Mailer', purpose: 'Email', data_types: [], locations: [] }
			]
		});
	});

	it('keeps what each fourth party handles and where, and sees a change to either', () => {
		const base = draftFromVendor(vendor());
		const draft = draftFromVendor(vendor());
		expect(draft.subprocessors[0]!.locations).toBe('Ireland, Germany');
		draft.subprocessors[0]!.locations = ' Ireland ,Germany, ';
		expect(changedFields(base, draft)).toEqual([]);
		draft.subprocessors[1]!.locations = 'US, us , EU';
		draft.subprocessors[1]!.data_types = ['personal_data', 'customer_data'];
		expect(changedFields(base, draft)).toEqual(['subprocessors']);
		expect(toInput(draft, ['subprocessors']).subprocessors?.[1]).toEqual({
			vendor_id: null,
			name: 'Mailer',
			purpose: 'Email',
			data_types: ['customer_data', 'personal_data'],
			locations: ['US', 'EU']
		});
		expect(splitLocations(' , ,')).toEqual([]);
	});

	it('creates with every field, numbers parsed and empty ones as zero', () => {
		const draft: VendorDraft = { ...emptyDraft(), name: 'New Co', category: 'saas', annual_spend: '1 500', tags: ['b', 'a'] };
		const input = toInput(draft);
		expect(input.name).toBe('New Co');
		expect(input.annual_spend).toBe(1500);
		expect(input.internal_users).toBe(0);
		expect(input.tags).toEqual(['a', 'b']);
		expect(input.status).toBe('proposed');
		expect(input.owner_id).toBe('');
	});

	it('checks what it can before asking the server, keyed by API paths', () => {
		const draft: VendorDraft = {
			...emptyDraft(),
			website: 'not a url',
			annual_spend: '12k',
			currency: 'euro',
			contacts: [{ ...emptyContact(), email: 'nope' }],
			subprocessors: [emptySubprocessor()],
			tags: ['Bad Tag!']
		};
		expect(Object.keys(checkDraft(draft)).sort()).toEqual(
			[
				'annual_spend',
				'category',
				'contacts[0].email',
				'contacts[0].name',
				'currency',
				'name',
				'subprocessors[0].name',
				'tags',
				'website'
			].sort()
		);
		const ok: VendorDraft = { ...emptyDraft(), name: 'X', category: 'saas', annual_spend: '100' };
		expect(checkDraft(ok)).toEqual({ currency: 'Say which currency the spend is in.' });
		expect(checkDraft({ ...ok, currency: 'usd' })).toEqual({});
	});

	it('adds the scheme people leave out of websites', () => {
		expect(normaliseWebsite('acme.com')).toBe('https://acme.com');
		expect(normaliseWebsite(' http://acme.com ')).toBe('http://acme.com');
		expect(normaliseWebsite('')).toBe('');
	});

	it('describes fields in words for conflict summaries', () => {
		const d = draftFromVendor(vendor());
		expect(describeField(d, 'contacts')).toBe('Noor <noor@acme.example>');
		expect(describeField(d, 'subprocessors')).toBe('Cloudco, Mailer');
		expect(describeField(d, 'owner_id', { owner: () => 'Riley Chen' })).toBe('Riley Chen');
		expect(describeField({ ...d, owner_id: '' }, 'owner_id')).toBe('No owner');
		expect(describeField({ ...d, legal_name: '' }, 'legal_name')).toBe('—');
		expect(describeField(d, 'category', { value: (_f, v) => v.toUpperCase() })).toBe('SAAS');
	});
});

describe('merging after someone else saved first', () => {
	const base = draftFromVendor(vendor());

	it('keeps my changes, takes theirs where I did not touch, and flags real clashes', () => {
		const mine = draftFromVendor(vendor());
		mine.department = 'Treasury';
		mine.criticality = 'critical';
		mine.tags = ['gdpr', 'pci'];
		const theirs = draftFromVendor(vendor({ department: 'Legal Ops', description: 'Payroll and HR', tags: ['gdpr', 'pci'] }));

		const { merged, conflicts, adopted } = mergeConflict(base, mine, theirs);
		expect(conflicts).toEqual(['department']);
		expect(adopted).toEqual(['description']);
		expect(merged.department).toBe('Treasury');
		expect(merged.criticality).toBe('critical');
		expect(merged.description).toBe('Payroll and HR');
		// Saving "mine" over theirs now sends only what still differs from their version.
		expect(changedFields(theirs, merged)).toEqual(['department', 'criticality']);
	});

	it('reports nothing to decide when both made the same change', () => {
		const mine = draftFromVendor(vendor());
		mine.name = 'Acme Payroll';
		const theirs = draftFromVendor(vendor({ name: 'Acme Payroll' }));
		expect(mergeConflict(base, mine, theirs).conflicts).toEqual([]);
	});
});

describe('audit changes', () => {
	it('lists changed fields with readable values', () => {
		expect(auditChanges({ department: '', tags: ['a'] }, { department: 'X', tags: ['a'] })).toEqual([
			{ field: 'department', before: '—', after: 'X' }
		]);
		expect(auditChanges(null, { name: 'Acme', data_types: [] })).toEqual([
			{ field: 'name', before: '—', after: 'Acme' },
			{ field: 'data_types', before: '—', after: '—' }
		]);
		expect(auditChanges({ access_level: 'none' }, { access_level: 'read_only' }, (_f, v) => v.toUpperCase())).toEqual([
			{ field: 'access_level', before: 'NONE', after: 'READ_ONLY' }
		]);
		expect(fieldLabel('external_id')).toBe('External ID');
		expect(auditValue(['a', 'b'])).toBe('a, b');
		expect(auditValue(12)).toBe('12');
		expect(fieldLabel('owner_id')).toBe('Owner');
		expect(fieldLabel('annual_spend')).toBe('Annual spend');
	});
});

describe('vocabulary and numbers', () => {
	it('labels values and reads whole numbers people type', () => {
		expect(label('category', 'cloud_infrastructure')).toBe('Cloud infrastructure');
		expect(label('data_type', 'credentials_secrets')).toBe('Credentials / secrets');
		expect(label('category', 'brand_new')).toBe('Brand new');
		expect(parseWhole('12,000')).toBe(12000);
		expect(parseWhole(' ')).toBeNull();
		expect(parseWhole('12.5')).toBeNaN();
		expect(parseWhole('-3')).toBeNaN();
	});

	it('formats money with or without a currency and only links web addresses', () => {
		expect(formatMoney(135000, 'USD')).toMatch(/135,000/);
		expect(formatMoney(10, '')).toBe('10');
		expect(formatMoney(null, 'EUR')).toBe('—');
		expect(displayUrl('https://www.acme.example/')).toBe('acme.example');
		expect(safeHref('javascript:alert(1)')).toBeUndefined();
		expect(safeHref('https://acme.example')).toBe('https://acme.example');
	});
});

describe('dashboard links', () => {
	it('opens a heat map cell as the filtered vendor list', async () => {
		const { cellHref, contractTitle } = await import('./dashboard/dashboard');
		const href = cellHref(4, 3);
		const state = parseVendorList(new URL(`http://x${href}`).searchParams);
		expect([state.likelihood, state.impact]).toEqual(['4', '3']);
		expect(contractTitle('Cancel-by: Master services agreement')).toBe('Master services agreement');
	});
});
