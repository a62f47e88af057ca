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
