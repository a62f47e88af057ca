import { DEMO, expect, screenshot, signInApi, test } from './fixtures';

// The demo is a programme about a year in: the dashboard a risk manager opens first has a
// spread heat map, a trend over the year and a handful of reviews due, not an empty page.
// (Other specs share the database, so the counts here are bounds, not exact numbers.)
test('the demo dashboard and calendar look like a programme a year in', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	await page.goto('/');
	const heat = page.getByTestId('heat-map');
	await expect(heat.getByRole('link').first()).toBeVisible();
	expect(await heat.getByRole('link').count()).toBeGreaterThanOrEqual(5);
	const trend = page.getByRole('img', { name: /^Average residual risk by month/ });
	const months = ((await trend.getAttribute('aria-label')) ?? '').match(/\d{4}-\d{2} /g) ?? [];
	expect(months.length).toBeGreaterThanOrEqual(10);
	const reviews = page.getByRole('region', { name: 'Reviews due' });
	const overdue = Number(await reviews.getByRole('listitem').filter({ hasText: 'Overdue' }).locator('.n').innerText());
	expect(overdue).toBeGreaterThanOrEqual(1);
	const completed = Number(await reviews.getByRole('listitem').filter({ hasText: 'Assessments completed' }).locator('.n').innerText());
	expect(completed).toBeGreaterThanOrEqual(1);
	await screenshot(page, 'demo-dashboard');

	// The calendar: reassessments due in the coming weeks beside the contract dates.
	await page.goto('/contracts/calendar');
	await expect(page.locator('[data-testid="calendar-entry"][data-kind="review_due"]').first()).toBeAttached();
	await screenshot(page, 'demo-calendar');
});
