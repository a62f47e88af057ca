import { DEMO, apiAs, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';
import { arrange } from './portal-helpers';

test('the assessment list pages on the server and keeps its filters in the URL', async ({ page, request }) => {
	test.setTimeout(60_000);
	const arranged = await arrange(request, 11);
	const { csrf } = await apiAs(request, DEMO.risk.email);
	// A vendor of its own: the demo's vendors have assessments of their own, and the counts below are exact.
	const made = await request.post('/api/v1/vendors', {
		headers: { 'X-CSRF-Token': csrf },
		data: { name: `Paged Assessments ${Date.now().toString(36)}`, category: 'saas' }
	});
	expect(made.status(), await made.text()).toBe(201);
	const vendor = (await made.json()) as { id: string; name: string };
	const a = { ...arranged, vendorId: vendor.id, vendorName: vendor.name };
	const past = new Date(Date.now() - 3 * 86400_000).toISOString().slice(0, 10);
	for (let i = 0; i < 27; i++) {
		const r = await request.post('/api/v1/assessments', {
			headers: { 'X-CSRF-Token': csrf },
			data: { vendor_id: a.vendorId, template_id: a.templateId, reviewer_id: a.reviewerId, due_date: i < 2 ? past : '2099-01-31' }
		});
		expect(r.status(), await r.text()).toBe(201);
	}

	await signInApi(page, DEMO.risk.email);
	await page.goto('/assessments');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Assessments');

	// Pick the vendor by searching the register; the filter shows its name and goes in the URL.
	await page.getByRole('combobox', { name: 'Vendor' }).fill(a.vendorName);
	await page.getByRole('option').filter({ hasText: a.vendorName }).first().click();
	await expect(page).toHaveURL(new RegExp(`vendor=${a.vendorId}`));
	await expect(page.getByTestId('vendor-filter')).toContainText(a.vendorName);
	const pages = page.getByRole('navigation', { name: 'Assessment pages' });
	await expect(pages).toContainText('1–25 of 27 assessments');
	const rows = page.getByRole('row').filter({ has: page.getByRole('link', { name: a.vendorName }) });
	await expect(rows).toHaveCount(25);
	await pages.getByRole('button', { name: 'Next' }).click();
	await expect(pages).toContainText('26–27 of 27 assessments');
	await expect(rows).toHaveCount(2);
	await pages.getByRole('button', { name: 'Previous' }).click();
	await expect(pages).toContainText('1–25 of 27 assessments');

	// Overdue: the two past their due date, marked as such; a reload keeps the filters.
	await page.getByRole('combobox', { name: 'Due' }).selectOption('overdue');
	await expect(page).toHaveURL(/due=overdue/);
	await expect(pages).toContainText('2 assessments');
	await expect(rows.getByText('Overdue')).toHaveCount(2);
	await page.reload();
	await expect(page.getByRole('combobox', { name: 'Due' })).toHaveValue('overdue');
	await expect(page.getByTestId('vendor-filter')).toContainText(a.vendorName);
	await expect(pages).toContainText('2 assessments');

	// Reviewer and questionnaire filters narrow further; nothing matches a reviewer with none.
	await page.getByRole('combobox', { name: 'Reviewer' }).selectOption('me');
	await page.getByRole('combobox', { name: 'Questionnaire' }).selectOption('rampart-lite');
	await expect(pages).toContainText('2 assessments');
	await page.getByRole('combobox', { name: 'Questionnaire' }).selectOption('rampart-full');
	await expect(page.getByText('No assessments match these filters')).toBeVisible();
	await expectAccessible(page, 'the filtered assessment list');
	await page.getByRole('button', { name: 'Clear filters' }).first().click();
	await expect(page).toHaveURL(/\/assessments$/);
	await expect(pages).toContainText(/of \d+ assessments/);

	// On a phone.
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(page, 'assessment-list-phone');
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, 'the page scrolls sideways on a phone').toBeLessThanOrEqual(0);

	// So does the new assessment form, which names the questionnaire the vendor's tier calls for.
	await page.goto(`/assessments/new?vendor=${a.vendorId}`);
	await expect(page.getByRole('combobox', { name: 'Vendor', exact: true })).toHaveValue(a.vendorName);
	await expect(page.getByText(/^Tier \d \(.+\) calls for Rampart (Lite|Full)\.$/)).toBeVisible();
	await screenshot(page, 'assessment-new-phone');
	const formOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(formOverflow, 'the form scrolls sideways on a phone').toBeLessThanOrEqual(0);
});
