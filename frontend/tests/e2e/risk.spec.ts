import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';

test('the risk tab explains the tier, and a profile change shows up as a new score with its reason; the dashboard heat map renders', async ({
	page
}) => {
	await signInApi(page, DEMO.risk.email);
	const list = await (await page.request.get('/api/v1/vendors', { params: { limit: 40, sort: 'name' } })).json();
	const vendor = (list.items as { id: string; name: string; access_level: string }[]).find(
		(v) => v.access_level !== 'administrative'
	)!;

	await page.goto(`/vendors/${vendor.id}?tab=risk`);
	const risk = page.getByTestId('vendor-risk');
	await expect(risk).toBeVisible();
	await expect(page.getByTestId('risk-tier')).toHaveText(/Tier \d · \w+/);
	await expect(risk.getByRole('table', { name: 'Inherent risk factors' })).toContainText('Access to our systems');
	await expect(page.getByTestId('risk-chart')).toBeVisible();
	const before = await page.getByTestId('risk-history').locator(':scope > li').count();
	const inherentBefore = Number(await page.getByTestId('inherent-score').innerText());
	await expectAccessible(page, 'the risk tab');

	// Raise the access level in the edit form.
	await page.goto(`/vendors/${vendor.id}/edit`);
	await page.getByRole('combobox', { name: 'Access to our systems' }).selectOption('administrative');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page).toHaveURL(new RegExp(`/vendors/${vendor.id}$`));

	await page.getByRole('tab', { name: 'Risk' }).click();
	const history = page.getByTestId('risk-history').locator(':scope > li');
	await expect(history).toHaveCount(before + 1);
	await expect(history.first()).toContainText(/Access to our systems changed from \w+ to administrative: \+\d+/);
	expect(Number(await page.getByTestId('inherent-score').innerText())).toBeGreaterThan(inherentBefore);
	await screenshot(page, 'vendor-risk');

	// The dashboard's heat map.
	await page.goto('/');
	const heat = page.getByTestId('heat-map');
	await expect(heat).toBeVisible();
	await expect(heat.getByRole('link').first()).toBeVisible();
	await screenshot(page, 'dashboard-overview');
	await expectAccessible(page, 'the dashboard');
});

test('the vendor tabs list assessments and findings', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	const list = await (await page.request.get('/api/v1/assessments', { params: { status: 'completed', limit: 1 } })).json();
	const vendorId = list.items[0].vendor_id as string;
	await page.goto(`/vendors/${vendorId}?tab=assessments`);
	await expect(page.getByTestId('vendor-assessments').getByRole('link', { name: /Rampart/ }).first()).toBeVisible();
	await expect(page.getByRole('link', { name: 'New assessment' })).toHaveAttribute('href', `/assessments/new?vendor=${vendorId}`);
	await expectAccessible(page, 'the vendor assessments tab');
	await page.getByRole('tab', { name: 'Findings' }).click();
	await expect(page.getByTestId('vendor-findings')).toBeVisible();
	await expectAccessible(page, 'the vendor findings tab');
});
