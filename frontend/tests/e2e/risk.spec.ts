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
	await expect(history.first()).toContainText(/Access to our systems changed from [a-z /-]+ to administrative: \+\d+/);
	await expect(history.first()).toContainText('Profile edited');
	// Labels, never codes: no snake_case in the factor breakdown or the history.
	await expect(risk.getByRole('table', { name: 'Inherent risk factors' })).not.toContainText('_');
	await expect(page.getByTestId('risk-history')).not.toContainText('_');
	expect(Number(await page.getByTestId('inherent-score').innerText())).toBeGreaterThan(inherentBefore);
	await screenshot(page, 'vendor-risk');

	// The dashboard's heat map.
	await page.goto('/');
	const heat = page.getByTestId('heat-map');
	await expect(heat).toBeVisible();
	await expect(heat.getByRole('link').first()).toBeVisible();
	const renewal = page.getByTestId('renewals').getByRole('link').first();
	await expect(renewal).toHaveAttribute('href', /^\/contracts\/.+/);
	// Named by its vendor; the contract's title is the line below.
	await expect(renewal).not.toHaveText(/agreement/i);
	await screenshot(page, 'dashboard-overview');
	await expectAccessible(page, 'the dashboard');

	// A heat map cell opens the vendor list filtered to that cell, with a removable chip.
	const cell = heat.getByRole('link').first();
	const n = Number(await cell.innerText());
	await cell.click();
	await expect(page).toHaveURL(/\/vendors\?.*impact=\d.*likelihood=\d/);
	const chip = page.getByTestId('matrix-chip');
	await expect(chip).toContainText(/Risk matrix: likelihood \d \([A-Z][a-z ]+\)\s+× impact \d \([A-Z][a-z]+\)/);
	await expect(page.getByText(new RegExp(`of ${n} vendors?|^${n} vendors?`)).first()).toBeVisible();
	await screenshot(page, 'vendors-matrix-filter');
	await chip.getByRole('button', { name: 'Remove the risk matrix filter' }).click();
	await expect(page).not.toHaveURL(/likelihood=/);
	await expect(chip).toHaveCount(0);
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
