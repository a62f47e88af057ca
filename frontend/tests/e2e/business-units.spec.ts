import { DEMO, apiAs, expect, expectAccessible, screenshot, signInApi, signInUi, test, unique } from './fixtures';

const SCOPED = 'retail@example.com';

test('an administrator creates a business unit and scopes a person to it, who then sees only that unit’s vendors', async ({
	page,
	browser,
	request
}) => {
	test.setTimeout(90_000);
	const unitName = unique('E2E unit');
	const vendorName = unique('Unit vendor');

	// The administrator adds the unit in Settings.
	await signInApi(page, DEMO.admin.email);
	await page.goto('/settings');
	await page.getByRole('link', { name: /Business units/ }).click();
	await page.getByLabel('Name').fill(unitName);
	await page.getByRole('button', { name: 'Add unit' }).click();
	const row = page.getByRole('row', { name: new RegExp(unitName) });
	await expect(row).toContainText('In use');
	await expectAccessible(page, 'the business units page');
	await screenshot(page, 'business-units-settings');

	// A vendor of that unit, arranged through the API.
	const admin = await apiAs(request, DEMO.admin.email);
	const units = (await (await request.get('/api/v1/business-units')).json()) as { items: { id: string; name: string }[] };
	const unit = units.items.find((u) => u.name === unitName)!;
	const retail = units.items.find((u) => u.name === 'Retail banking')!;
	const created = await request.post('/api/v1/vendors', {
		headers: { 'X-CSRF-Token': admin.csrf },
		data: { name: vendorName, category: 'saas', business_unit_ids: [unit.id] }
	});
	expect(created.status()).toBe(201);

	// The administrator scopes the demo's Retail banking person to the new unit only.
	const people = (await (await request.get('/api/v1/users', { params: { q: SCOPED } })).json()) as { items: { id: string }[] };
	const personId = people.items[0]?.id ?? '';
	expect(personId).not.toBe('');
	await page.goto(`/settings/users/${personId}`);
	const card = page.getByTestId('user-units');
	await card.getByLabel('Retail banking').uncheck();
	await card.getByLabel(unitName).check();
	await card.getByRole('button', { name: 'Save business units' }).click();
	await expect(card).toContainText('Scope saved');
	await screenshot(page, 'business-units-user');

	try {
		// That person signs in and sees only the unit's vendor.
		const context = await browser.newContext();
		const scoped = await context.newPage();
		await signInUi(scoped, SCOPED);
		await scoped.goto('/vendors');
		await expect(scoped.getByRole('link', { name: vendorName })).toBeVisible();
		const list = (await (await scoped.request.get('/api/v1/vendors')).json()) as { total: number; items: { name: string }[] };
		expect(list.items.map((v) => v.name)).toEqual([vendorName]);
		await scoped.getByRole('link', { name: vendorName }).click();
		await expect(scoped.getByTestId('vendor-units')).toContainText(unitName);
		await screenshot(scoped, 'business-units-scoped-vendor');
		await context.close();
	} finally {
		// Back as the demo has it, for the specs that follow.
		const res = await request.put(`/api/v1/users/${personId}/business-units`, {
			headers: { 'X-CSRF-Token': admin.csrf },
			data: { business_unit_ids: [retail.id] }
		});
		expect(res.status()).toBe(200);
	}
});

test('an administrator puts a finding in a second business unit from its form', async ({ page, request }) => {
	const admin = await apiAs(request, DEMO.admin.email);
	const units = (await (await request.get('/api/v1/business-units')).json()) as { items: { id: string; name: string }[] };
	const retail = units.items.find((u) => u.name === 'Retail banking')!;
	const corporate = units.items.find((u) => u.name === 'Corporate')!;
	const headers = { 'X-CSRF-Token': admin.csrf };
	const vendor = await request.post('/api/v1/vendors', {
		headers,
		data: { name: unique('Finding unit vendor'), category: 'saas', business_unit_ids: [retail.id] }
	});
	expect(vendor.status()).toBe(201);
	const created = await request.post('/api/v1/findings', {
		headers,
		data: { vendor_id: ((await vendor.json()) as { id: string }).id, title: unique('Unit finding'), severity: 'low' }
	});
	expect(created.status()).toBe(201);
	const finding = (await created.json()) as { id: string };

	await signInUi(page, DEMO.admin.email);
	await page.goto(`/findings/${finding.id}`);
	// It starts in its vendor's unit; the administrator adds the other.
	await expect(page.getByRole('checkbox', { name: 'Retail banking' })).toBeChecked();
	await page.getByRole('checkbox', { name: 'Corporate' }).check();
	await page.getByRole('button', { name: 'Save', exact: true }).first().click();
	await expect(page.getByText('Finding saved.')).toBeVisible();
	await screenshot(page, 'business-units-finding-form');
	const after = (await (await request.get(`/api/v1/findings/${finding.id}`)).json()) as { business_unit_ids: string[] };
	expect([...after.business_unit_ids].sort()).toEqual([corporate.id, retail.id].sort());
});

test('units are chosen on the contract, assessment and finding forms, and a scoped person is offered only theirs', async ({
	page,
	browser,
	request
}) => {
	test.setTimeout(90_000);
	const admin = await apiAs(request, DEMO.admin.email);
	const headers = { 'X-CSRF-Token': admin.csrf };
	const units = (await (await request.get('/api/v1/business-units')).json()) as { items: { id: string; name: string }[] };
	const retail = units.items.find((u) => u.name === 'Retail banking')!;
	const corporate = units.items.find((u) => u.name === 'Corporate')!;
	const vendorName = unique('Form units vendor');
	const vendorRes = await request.post('/api/v1/vendors', { headers, data: { name: vendorName, category: 'saas', business_unit_ids: [retail.id] } });
	expect(vendorRes.status()).toBe(201);
	const vendor = (await vendorRes.json()) as { id: string };
	const unitsOf = async (path: string) => [...((await (await request.get(path)).json()) as { business_unit_ids: string[] }).business_unit_ids].sort();

	await signInApi(page, DEMO.admin.email);

	// A contract: the boxes say what none ticked means, then Corporate is chosen instead.
	const contractTitle = unique('Units MSA');
	await page.goto(`/contracts/new?vendor_id=${vendor.id}`);
	const picker = page.getByTestId('unit-picker');
	await expect(picker).toContainText('None ticked: the contract takes the vendor’s units: Retail banking.');
	await page.getByLabel('Title').fill(contractTitle);
	await picker.getByRole('checkbox', { name: 'Corporate' }).check();
	await expect(picker).toContainText('The ticked units replace the vendor’s.');
	await expectAccessible(page, 'the contract form with its unit boxes');
	await screenshot(page, 'business-units-contract-form');
	await page.getByRole('button', { name: 'Add contract' }).click();
	await expect(page).toHaveURL(/\/contracts\/[^/]+$/);
	await expect(page.getByTestId('object-units')).toContainText('Corporate');
	const contractId = page.url().split('/').pop()!;
	expect(await unitsOf(`/api/v1/contracts/${contractId}`)).toEqual([corporate.id]);
	// Its edit form shows the unit ticked, and adds Retail banking.
	await page.goto(`/contracts/${contractId}/edit`);
	await expect(page.getByRole('checkbox', { name: 'Corporate' })).toBeChecked();
	await page.getByRole('checkbox', { name: 'Retail banking' }).check();
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect.poll(() => unitsOf(`/api/v1/contracts/${contractId}`)).toEqual([corporate.id, retail.id].sort());

	// An assessment created with the vendor's unit is moved into Corporate too on its page.
	const templates = (await (await request.get('/api/v1/questionnaire-templates')).json()) as { items: { id: string; status: string }[] };
	const created = await request.post('/api/v1/assessments', {
		headers,
		data: { vendor_id: vendor.id, template_id: templates.items.find((t) => t.status === 'published')!.id }
	});
	expect(created.status()).toBe(201);
	const assessment = (await created.json()) as { id: string };
	await page.goto(`/assessments/${assessment.id}`);
	await expect(page.getByTestId('object-units')).toContainText('Retail banking');
	await page.getByRole('button', { name: 'Change business units' }).click();
	await expect(page.getByRole('checkbox', { name: 'Retail banking' })).toBeChecked();
	await page.getByRole('checkbox', { name: 'Corporate' }).check();
	// The page is long (every question): the summary at its top is what matters here.
	await page.screenshot({ path: 'test-results/business-units-assessment-page.png' });
	await page.getByRole('button', { name: 'Save units' }).click();
	await expect(page.getByText('The assessment’s business units were saved.')).toBeVisible();
	await expect(page.getByTestId('object-units')).toContainText('Corporate, Retail banking');
	expect(await unitsOf(`/api/v1/assessments/${assessment.id}`)).toEqual([corporate.id, retail.id].sort());

	// A finding created in Corporate only.
	const findingTitle = unique('Units finding');
	await page.goto('/findings');
	await page.getByRole('button', { name: 'New finding' }).click();
	const form = page.getByRole('form', { name: 'New finding' });
	await expect(form.getByTestId('unit-picker')).toContainText('the units of the vendor you choose');
	await form.getByRole('combobox', { name: 'Vendor' }).fill(vendorName);
	await page.getByRole('option', { name: vendorName }).first().click();
	await expect(form.getByTestId('unit-picker')).toContainText('None ticked: the finding takes the vendor’s units: Retail banking.');
	await screenshot(page, 'business-units-finding-create');
	await form.getByRole('textbox', { name: 'Title' }).fill(findingTitle);
	await form.getByRole('checkbox', { name: 'Corporate' }).check();
	await form.getByRole('button', { name: 'Create finding' }).click();
	await expect(page).toHaveURL(/\/findings\/[^/]+$/);
	await expect(page.getByTestId('object-units')).toContainText('Corporate');
	expect(await unitsOf(`/api/v1/findings/${page.url().split('/').pop()}`)).toEqual([corporate.id]);

	// The demo's Retail banking person is offered Retail banking only.
	const context = await browser.newContext();
	const scoped = await context.newPage();
	await signInApi(scoped, SCOPED);
	await scoped.goto(`/contracts/new?vendor_id=${vendor.id}`);
	const offered = scoped.getByTestId('unit-picker');
	await expect(offered.getByRole('checkbox', { name: 'Retail banking' })).toBeVisible();
	await expect(offered.getByRole('checkbox')).toHaveCount(1);
	await context.close();
});
