import { apiAs, DEMO, expect, expectAccessible, signInApi, test, unique } from './fixtures';

interface CalendarItem {
	kind: string;
	date: string;
	object_id: string;
}

test('the calendar folds a day of reassessments into one row and filters by kind, with the filter in the URL', async ({ page, request }) => {
	// Two vendors never assessed: both are due for reassessment today.
	const { csrf } = await apiAs(request, DEMO.risk.email);
	const names = [unique('Folded vendor A'), unique('Folded vendor B')];
	for (const name of names) {
		const res = await request.post('/api/v1/vendors', { headers: { 'X-CSRF-Token': csrf }, data: { name, category: 'saas' } });
		expect(res.status()).toBe(201);
	}
	// And one cancel-by date in the window, the kind the reassessments used to bury.
	const legal = await apiAs(request, DEMO.legal.email);
	const vendors = await (await request.get('/api/v1/vendors', { params: { limit: 1 } })).json();
	const end = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
	const contract = await request.post('/api/v1/contracts', {
		headers: { 'X-CSRF-Token': legal.csrf },
		data: { vendor_id: vendors.items[0].id, title: unique('Renewing plan'), type: 'order_form', status: 'signed', end_date: end, auto_renewal: true, renewal_term_months: 12, notice_period: 20, notice_unit: 'days' }
	});
	expect(contract.status()).toBe(201);
	await signInApi(page, DEMO.legal.email);
	await page.goto('/contracts/calendar');
	const today = await page.evaluate(() => {
		const n = new Date();
		return new Date(Date.UTC(n.getFullYear(), n.getMonth(), n.getDate())).toISOString().slice(0, 10);
	});
	const events = ((await (await page.request.get(`/api/v1/calendar?from=${today}&to=${today}`)).json()) as { items: CalendarItem[] }).items;
	const dueToday = events.filter((e) => e.kind === 'review_due');
	expect(dueToday.length).toBeGreaterThanOrEqual(2);

	// One row for today's reassessments, saying how many; the vendors show once it is opened.
	const group = page.locator(`[data-testid="calendar-group"]:has(time[datetime="${today}"])`);
	await expect(group).toHaveCount(1);
	const toggle = group.getByRole('button', { name: `${dueToday.length} reassessments due` });
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	await expect(group.getByRole('link', { name: names[0] })).toHaveCount(0);
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	for (const name of names) await expect(group.getByRole('link', { name })).toBeVisible();
	await expect(group.getByTestId('calendar-entry')).toHaveCount(dueToday.length);
	await expectAccessible(page, 'the calendar with a day of reassessments opened');

	// Hide reassessments: the URL says so, the rows go, other kinds stay.
	const kinds = page.getByRole('group', { name: 'Show deadlines of these kinds' });
	await kinds.getByRole('button', { name: /Reassessment due/ }).click();
	await expect(page).toHaveURL(/kinds=cancel_by%2Cterm_end%2Cfinding_due|kinds=cancel_by,term_end,finding_due/);
	await expect(page.getByTestId('calendar-group')).toHaveCount(0);
	await expect(page.locator('[data-testid="calendar-entry"][data-kind="review_due"]')).toHaveCount(0);
	await expect(kinds.getByRole('button', { name: /Reassessment due/ })).toHaveAttribute('aria-pressed', 'false');

	// Only cancel-by dates, from a shared link: the filter comes from the URL.
	await page.goto('/contracts/calendar?kinds=cancel_by');
	await expect(kinds.getByRole('button', { name: /Cancel by/ })).toHaveAttribute('aria-pressed', 'true');
	await expect(kinds.getByRole('button', { name: /Cancel by/ })).toBeDisabled(); // the last kind shown stays on
	await expect(kinds.getByRole('button', { name: /Term ends/ })).toHaveAttribute('aria-pressed', 'false');
	await expect(page.locator('[data-testid="calendar-entry"][data-kind="cancel_by"]').first()).toBeVisible();
	await expect(page.locator('[data-testid="calendar-entry"]:not([data-kind="cancel_by"])')).toHaveCount(0);
	await expect(page.getByTestId('calendar-group')).toHaveCount(0);

	// Back to every kind: the parameter goes away.
	for (const k of [/Term ends/, /Reassessment due/, /Finding due/]) await kinds.getByRole('button', { name: k }).click();
	await expect(page).toHaveURL(/\/contracts\/calendar$/);
	await expect(page.getByTestId('calendar-group').first()).toBeVisible();
});
