import { apiAs, DEMO, expect, httpError, signInApi, test } from './fixtures';
import { sentAssessment, vendorContext } from './portal-helpers';

/** A 1×1 PNG, made here so no file ships with the tests. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test('an administrator sets the company name and the portal logo in Settings and the vendor sees both', async ({ page, browser, baseURL, request, consoleGuard }) => {
	test.setTimeout(60_000);
	consoleGuard.allow(httpError(409, '/api/v1/settings/organization'));
	await signInApi(page, DEMO.admin.email);
	await page.goto('/settings');
	await page.getByRole('link', { name: /Vendor portal/ }).click();
	const setting = page.getByTestId('portal-logo-setting');
	await expect(setting).toContainText('No logo');
	await setting.getByLabel('Choose a logo').setInputFiles({ name: 'corp.png', mimeType: 'image/png', buffer: PNG });
	await expect(setting.getByRole('img', { name: "The portal's logo" })).toBeVisible();
	await expect(setting).toContainText('corp.png');

	// The demo stores its company's name as the setting; the form says why a name will not do.
	const named = page.getByTestId('org-name-setting');
	const nameField = named.getByLabel('Company name');
	await expect(nameField).toHaveValue('Example Corp');
	await nameField.fill('   ');
	await named.getByRole('button', { name: 'Save name' }).click();
	await expect(named.getByText('Enter the company’s name.')).toBeVisible();
	await expect(nameField).toBeFocused();
	await nameField.fill('  Acme Holdings  ');
	await named.getByRole('button', { name: 'Save name' }).click();
	await expect(named.getByTestId('org-name-saved')).toContainText('Acme Holdings');
	await expect(nameField).toHaveValue('Acme Holdings');

	const { path } = await sentAssessment(request, 15);
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(path);
	const logo = vendor.page.getByTestId('portal-logo');
	await expect(logo).toBeVisible();
	await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
	await expect(vendor.page.getByTestId('portal-asker')).toContainText('Asked by Acme Holdings.');
	await expect(vendor.page.getByTestId('portal-logo')).toHaveAttribute('alt', 'Acme Holdings logo');
	expect(vendor.external, 'requests outside the portal API').toEqual([]);
	expect(vendor.problems).toEqual([]);
	await vendor.context.close();

	// Another administrator saves first: the page offers their name instead of overwriting it.
	const { csrf } = await apiAs(request, DEMO.admin.email);
	const current = await (await request.get('/api/v1/settings/organization')).json();
	const theirs = await request.put('/api/v1/settings/organization', { headers: { 'X-CSRF-Token': csrf }, data: { name: 'Acme Group', version: current.version } });
	expect(theirs.status()).toBe(200);
	await nameField.fill('Acme Holdings Ltd');
	await named.getByRole('button', { name: 'Save name' }).click();
	await expect(named.getByTestId('conflict')).toContainText('They saved “Acme Group” first');
	await named.getByRole('button', { name: 'Reload their version' }).click();
	await expect(nameField).toHaveValue('Acme Group');

	// Taken away again, so other tests see the portal as before.
	await setting.getByRole('button', { name: 'Remove the logo' }).click();
	await expect(setting).toContainText('No logo');
	await nameField.fill('Example Corp');
	await named.getByRole('button', { name: 'Save name' }).click();
	await expect(named.getByTestId('org-name-saved')).toContainText('Example Corp');
});
