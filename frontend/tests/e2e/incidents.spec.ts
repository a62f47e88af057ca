import { DEMO, expect, expectAccessible, httpError, signInApi, test, unique } from './fixtures';

test('the demo breach is flagged as a late notice, quoting the contract', async ({ page }) => {
	await signInApi(page, DEMO.auditor.email);
	await page.goto('/incidents');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Incidents');
	await page.getByRole('combobox', { name: 'Severity' }).selectOption('high');
	const row = page.getByRole('link', { name: /Customer contact records exposed/ });
	await expect(row).toBeVisible();
	await expectAccessible(page, 'the incidents list');
	await row.click();
	const check = page.getByTestId('notice-check');
	await expect(check).toContainText(/Notice late: 96 h against 72 h in /);
	await expect(check.locator('blockquote')).toContainText('seventy-two (72) hours');
	await expect(page.getByTestId('timeline-entry')).toHaveCount(4);
	// The auditor reads and changes nothing.
	await expect(page.getByRole('form', { name: 'Add a note' })).toHaveCount(0);
	await expectAccessible(page, 'an incident');

	await page.goto('/');
	const dash = page.getByTestId('dashboard-incidents');
	await expect(dash.getByRole('listitem').filter({ hasText: 'High' })).toContainText('1');
});

test('a risk manager records an incident, adds a note and closes it', async ({ page }) => {
	const title = unique('Payment API outage');
	await signInApi(page, DEMO.risk.email);
	await page.goto('/incidents');
	await page.getByRole('link', { name: 'Report incident' }).click();
	await expect(page).toHaveURL('/incidents/new');
	const form = page.getByRole('form', { name: 'Report incident' });
	const vendors = await (await page.request.get('/api/v1/vendors', { params: { limit: 1, sort: '-name' } })).json();
	const vendor = vendors.items[0] as { id: string; name: string };
	await form.getByRole('combobox', { name: 'Vendor' }).fill(vendor.name.slice(0, 6));
	await page.getByRole('option', { name: vendor.name }).first().click();
	await form.getByRole('textbox', { name: 'Title' }).fill(title);
	await form.getByRole('combobox', { name: 'Kind' }).selectOption('outage');
	await form.getByRole('combobox', { name: 'Severity' }).selectOption('critical');
	await form.getByLabel('Occurred at').fill('2026-11-01T08:30');
	await form.getByRole('textbox', { name: 'Affected services' }).fill('Payments API, Checkout');
	await form.getByRole('checkbox', { name: 'Payment card data' }).check();
	await expectAccessible(page, 'the report incident form');
	await form.getByRole('button', { name: 'Record incident' }).click();
	await expect(page).toHaveURL(/\/incidents\/[^/]+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.getByText('Payments API, Checkout')).toBeVisible();

	await page.getByRole('textbox', { name: 'Note' }).fill('Vendor confirmed failover completed.');
	await page.getByRole('button', { name: 'Add note' }).click();
	await expect(page.getByTestId('timeline-entry').last()).toContainText('Vendor confirmed failover completed.');

	await page.getByRole('combobox', { name: 'Status' }).selectOption('closed');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Incident saved.')).toBeVisible();
	await expect(page.getByTestId('timeline-entry').last()).toContainText('Status changed from open to closed');
	await expectAccessible(page, 'an incident being managed');
});

test('a vendor reports an incident through an incident report link, which can be revoked', async ({ page, browser, baseURL, consoleGuard }) => {
	consoleGuard.allow(httpError(404, '/api/v1/portal/'));
	await signInApi(page, DEMO.risk.email);
	const vendors = await (await page.request.get('/api/v1/vendors', { params: { limit: 1, sort: 'name' } })).json();
	const vendor = vendors.items[0] as { id: string; name: string };
	await page.goto(`/vendors/${vendor.id}?tab=incidents`);
	await page.getByRole('textbox', { name: 'Contact email (optional)' }).fill('security@vendor.example');
	await page.getByRole('button', { name: 'Create link' }).click();
	const url = await page.getByRole('textbox', { name: 'Incident report link' }).inputValue();
	expect(url).toContain('/portal/incident/rpi_');
	await expectAccessible(page, 'the vendor incidents tab');

	const title = unique('Phishing led to a support account takeover');
	const context = await browser.newContext({ baseURL });
	const vendorPage = await context.newPage();
	await vendorPage.goto(new URL(url).pathname);
	await expect(vendorPage.getByRole('heading', { level: 1 })).toHaveText('Report an incident');
	await expect(vendorPage.getByText(`For ${vendor.name}`)).toBeVisible();
	await vendorPage.getByRole('textbox', { name: 'Title' }).fill(title);
	await vendorPage.getByRole('textbox', { name: 'What happened' }).fill('An attacker used a phished password.');
	await vendorPage.getByLabel('When it happened').fill('2026-11-20T10:00');
	await vendorPage.getByRole('textbox', { name: 'Your name' }).fill('Sam Lee');
	await vendorPage.getByRole('textbox', { name: 'Your email' }).fill('sam@vendor.example');
	await expectAccessible(vendorPage, 'the portal incident form');
	await vendorPage.getByRole('button', { name: 'Send report' }).click();
	await expect(vendorPage.getByTestId('incident-reported')).toContainText(title);

	await page.reload();
	await page.getByTestId('vendor-incidents').getByRole('link', { name: title }).click();
	await expect(page.getByText('Sam Lee <sam@vendor.example> (incident report link)')).toBeVisible();

	await page.goto(`/vendors/${vendor.id}?tab=incidents`);
	await page.getByTestId('incident-link').first().getByRole('button', { name: /Revoke/ }).click();
	await expect(page.getByTestId('incident-link').first()).toContainText('revoked');
	await vendorPage.reload();
	await expect(vendorPage.getByTestId('portal-not-found')).toBeVisible();
	await context.close();
});
