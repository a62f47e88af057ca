import { readFileSync } from 'node:fs';
import { DEMO, apiAs, expect, screenshot, signInApi, test } from './fixtures';

test('an administrator defines a custom field, sets it on a vendor and filters the vendor list by it', async ({ page, request }) => {
	test.setTimeout(90_000);
	const suffix = Date.now().toString(36);
	const label = `Hosting model ${suffix}`;
	const key = `hosting_model_${suffix}`;
	await signInApi(page, DEMO.admin.email);

	// Settings → Custom fields: the demo's fields are listed; add a single choice field.
	await page.goto('/settings');
	await page.getByRole('link', { name: /Custom fields/ }).click();
	await expect(page.getByTestId('custom-fields-vendor')).toContainText('Data residency');
	const add = page.getByTestId('custom-field-add');
	await add.getByLabel('Type').selectOption('single_choice');
	await add.getByLabel('Label').fill(label);
	await expect(add.getByLabel('Key')).toHaveValue(key);
	await add.getByLabel('Help text').fill('Where the service runs for us.');
	await add.getByLabel('Options').fill('Cloud <b>\nOn premises');
	await add.getByRole('button', { name: 'Add field' }).click();
	await expect(page.getByTestId('custom-fields-vendor')).toContainText(label);
	await expect(page.getByTestId('custom-fields-vendor')).toContainText('Options: Cloud <b>, On premises');
	await screenshot(page, 'custom-fields-settings');

	// Set it on a vendor through the edit form.
	const api = await apiAs(request, DEMO.admin.email);
	const list = await request.get('/api/v1/vendors?limit=1&sort=name', { headers: { 'X-CSRF-Token': api.csrf } });
	const vendor = ((await list.json()) as { items: { id: string; name: string }[] }).items[0]!;
	await page.goto(`/vendors/${vendor.id}/edit`);
	await expect(page.getByText('Where the service runs for us.')).toBeVisible();
	await page.getByLabel(label).selectOption('Cloud <b>');
	await screenshot(page, 'custom-fields-vendor-form');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page).toHaveURL(new RegExp(`/vendors/${vendor.id}$`));
	await expect(page.getByTestId('custom-field-values')).toContainText('Cloud <b>');

	// Filter the vendor list by it: only that vendor, with the field's column when sorted by it.
	await page.goto('/vendors');
	await page.getByLabel(label).selectOption('Cloud <b>');
	await expect(page).toHaveURL(new RegExp(`cf\\.${key}=`));
	await expect(page.getByRole('link', { name: vendor.name, exact: true })).toBeVisible();
	await expect(page.getByRole('table').getByRole('row')).toHaveCount(2);
	await page.getByLabel('Sort by field').selectOption({ label: `${label} ↓` });
	await expect(page.getByRole('columnheader', { name: label })).toBeVisible();
	await expect(page.getByRole('table')).toContainText('Cloud <b>');
	await screenshot(page, 'custom-fields-vendor-list');

	// Archived again so other tests' forms stay as they were; the value stays on the vendor.
	const fields = await request.get('/api/v1/settings/custom-fields?entity_type=vendor');
	const field = ((await fields.json()) as { items: { id: string; key: string; version: number }[] }).items.find((f) => f.key === key)!;
	const res = await request.patch(`/api/v1/settings/custom-fields/${field.id}`, {
		data: { version: field.version, archived: true },
		headers: { 'X-CSRF-Token': api.csrf }
	});
	expect(res.status()).toBe(200);
	const after = await request.get(`/api/v1/vendors/${vendor.id}`);
	expect(((await after.json()) as { custom_fields: Record<string, unknown> }).custom_fields[key]).toBe('Cloud <b>');
});

test("a finding's custom field is edited on its page, and the findings list filters and sorts by it", async ({ page, request, consoleGuard }) => {
	test.setTimeout(90_000);
	// The refused URL below is a 422 the browser logs.
	consoleGuard.allow(/status of 422/);
	await page.setViewportSize({ width: 1280, height: 800 });
	await signInApi(page, DEMO.admin.email);
	const api = await apiAs(request, DEMO.admin.email);
	const res = await request.get('/api/v1/findings?limit=1&sort=created_at', { headers: { 'X-CSRF-Token': api.csrf } });
	const finding = ((await res.json()) as { items: { id: string; title: string }[] }).items[0]!;
	const ticket = `https://tracker.example.com/browse/E2E-${Date.now().toString(36)}`;

	// The edit form shows the field; a value the server refuses gets its message beside it.
	await page.goto(`/findings/${finding.id}`);
	const input = page.getByLabel('Ticket URL');
	await expect(input).toBeVisible();
	await input.fill('javascript:alert(1)');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.locator('#cf-ticket_url-error')).toBeVisible();
	await expect(input).toHaveAttribute('aria-invalid', 'true');
	await input.fill(ticket);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Finding saved.')).toBeVisible();
	await expect(page.getByTestId('custom-field-values')).toContainText(ticket);
	await screenshot(page, 'custom-fields-finding-edit');
	const saved = await request.get(`/api/v1/findings/${finding.id}`);
	expect(((await saved.json()) as { custom_fields: Record<string, unknown> }).custom_fields.ticket_url).toBe(ticket);

	// The list filters by it (only that finding) and sorts by it with its own column.
	await page.goto('/findings');
	await page.getByLabel('Ticket URL').fill(ticket);
	await page.getByLabel('Ticket URL').press('Enter');
	await expect(page).toHaveURL(/cf\.ticket_url=/);
	const table = page.getByRole('table', { name: 'Findings' });
	await expect(table.locator('tbody tr')).toHaveCount(1);
	await expect(table.getByRole('link', { name: finding.title })).toBeVisible();
	await page.getByLabel('Sort by field').selectOption({ label: 'Ticket URL ↓' });
	await expect(page).toHaveURL(/sort=-cf\.ticket_url/);
	await expect(table.getByRole('columnheader', { name: 'Ticket URL' })).toBeVisible();
	await expect(table).toContainText(ticket);
	const [findingsCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
	const findingRows = readFileSync((await findingsCsv.path())!, 'utf8').trim().split('\n');
	expect(findingRows).toHaveLength(2);
	expect(findingRows[0]).toContain('cf.ticket_url');
	expect(findingRows[1]).toContain(ticket);
	await page.getByRole('button', { name: 'Clear filters' }).click();
	await expect(page).not.toHaveURL(/cf\.ticket_url=/);
	await expect(table.locator('tbody tr').nth(1)).toBeVisible();
	const widths = await table.evaluate((el) => ({
		page: document.scrollingElement!.scrollWidth,
		box: el.parentElement!.clientWidth,
		boxScroll: el.parentElement!.scrollWidth
	}));
	expect(widths.page, 'page width').toBeLessThanOrEqual(1280);
	expect(widths.boxScroll, 'table overflowing its box').toBeLessThanOrEqual(widths.box);
	await screenshot(page, 'custom-fields-finding-list');
});

test('the contract list filters and sorts by a contract custom field, and the contract page shows it', async ({ page, request }) => {
	test.setTimeout(90_000);
	await page.setViewportSize({ width: 1280, height: 800 });
	const suffix = Date.now().toString(36);
	const key = `region_${suffix}`;
	const label = `Region ${suffix}`;
	await signInApi(page, DEMO.admin.email);
	const api = await apiAs(request, DEMO.admin.email);
	const headers = { 'X-CSRF-Token': api.csrf };
	// The demo's contracts carry their own fields: a budget owner shows as the person, not an id.
	const exits = await request.get('/api/v1/contracts?limit=1&cf.renewal_decision=Exit', { headers });
	const exit = ((await exits.json()) as { items: { id: string; custom_fields: Record<string, unknown> }[] }).items[0]!;
	expect(exit.custom_fields.purchase_order).toMatch(/^PO-2026-/);
	await page.goto(`/contracts/${exit.id}`);
	const demoValues = page.getByTestId('custom-field-values');
	await expect(demoValues).toContainText('Renewal decision');
	await expect(demoValues).toContainText('Exit');
	await expect(demoValues).toContainText(String(exit.custom_fields.purchase_order));
	await expect(demoValues).toContainText('Budget owner');
	await expect(demoValues).not.toContainText(String(exit.custom_fields.budget_owner));

	const made = await request.post('/api/v1/settings/custom-fields', {
		data: { entity_type: 'contract', key, label, type: 'single_choice', help_text: '', required: false, options: ['EU <i>', 'US'] },
		headers
	});
	expect(made.status()).toBe(201);
	const field = (await made.json()) as { id: string; version: number };
	const list = await request.get('/api/v1/contracts?limit=1&sort=title', { headers });
	const contract = ((await list.json()) as { items: { id: string; title: string; version: number }[] }).items[0]!;
	const patched = await request.patch(`/api/v1/contracts/${contract.id}`, { data: { version: contract.version, custom_fields: { [key]: 'EU <i>' } }, headers });
	expect(patched.status()).toBe(200);

	await page.goto(`/contracts/${contract.id}`);
	await expect(page.getByTestId('custom-field-values')).toContainText(label);
	await expect(page.getByTestId('custom-field-values')).toContainText('EU <i>');
	await screenshot(page, 'custom-fields-contract-page');

	await page.goto('/contracts');
	await page.getByLabel(label).selectOption('EU <i>');
	await expect(page).toHaveURL(new RegExp(`cf\\.${key}=`));
	const table = page.getByRole('table', { name: 'Contracts' });
	await expect(table.locator('tbody tr')).toHaveCount(1);
	await expect(table.getByRole('link', { name: contract.title })).toBeVisible();
	await page.getByLabel('Sort by field').selectOption({ label: `${label} ↑` });
	await expect(table.getByRole('columnheader', { name: label })).toBeVisible();
	await expect(table).toContainText('EU <i>');
	const widths = await table.evaluate((el) => ({
		page: document.scrollingElement!.scrollWidth,
		box: el.parentElement!.clientWidth,
		boxScroll: el.parentElement!.scrollWidth
	}));
	expect(widths.page, 'page width').toBeLessThanOrEqual(1280);
	expect(widths.boxScroll, 'table overflowing its box').toBeLessThanOrEqual(widths.box);
	await screenshot(page, 'custom-fields-contract-list');
	// The export holds what the list shows: the one matching contract, with the field's column.
	const [contractsCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
	const contractRows = readFileSync((await contractsCsv.path())!, 'utf8').trim().split('\n');
	expect(contractRows).toHaveLength(2);
	expect(contractRows[0]).toContain(`cf.${key}`);
	expect(contractRows[1]).toContain(contract.title);
	expect(contractRows[1]).toContain('EU <i>');

	// Archived so other tests' contract forms stay as they were.
	const archived = await request.patch(`/api/v1/settings/custom-fields/${field.id}`, { data: { version: field.version, archived: true }, headers });
	expect(archived.status()).toBe(200);
});
