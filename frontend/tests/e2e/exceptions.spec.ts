import { DEMO, expect, expectAccessible, expectEveryCell, screenshot, signInApi, test } from './fixtures';

test('the exceptions queue filters by status, highlights what ends soon and lets another risk manager decide', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	await page.goto('/findings');
	await page.getByRole('link', { name: 'Exceptions' }).click();
	await expect(page).toHaveURL(/\/findings\/exceptions$/);

	const rows = page.getByTestId('exception-row');
	await expect(rows).toHaveCount(5);
	// The approved exception ends within weeks.
	await expect(page.getByTestId('expiring-soon')).toHaveCount(1);
	await expect(page.getByTestId('expiring-soon')).toContainText(/Ends in \d+ days/);
	await screenshot(page, 'exceptions-queue');
	await expectAccessible(page, 'the exceptions queue');

	const tabs = page.getByRole('navigation', { name: 'Exception status' });
	await tabs.getByRole('link', { name: 'Pending' }).click();
	await expect(page).toHaveURL(/status=requested/);
	await expect(rows).toHaveCount(2);
	const table = page.getByRole('table', { name: 'Exceptions' });
	// Their own request: no buttons, only the reason.
	const own = table.getByRole('row').filter({ hasText: 'Security awareness training not annual' });
	await expect(own.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	await expect(own).toContainText('Waiting for another risk manager or admin');
	// The admin's request: this risk manager may decide it.
	const theirs = table.getByRole('row').filter({ hasText: 'Penetration test older than 18 months' });
	await theirs.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByText('Approved: Penetration test older than 18 months.')).toBeVisible();
	await expect(rows).toHaveCount(1);

	await tabs.getByRole('link', { name: 'Approved' }).click();
	await expect(page).toHaveURL(/status=approved/);
	await expect(table.getByRole('row').filter({ hasText: 'Penetration test older than 18 months' })).toContainText('Approved by Riley Chen');
	// Approved ones are listed by expiry, soonest first.
	await expect(rows.first()).toContainText('Subprocessor list not published');

	await tabs.getByRole('link', { name: 'Rejected' }).click();
	await expect(rows).toHaveCount(1);
	await tabs.getByRole('link', { name: 'Expired' }).click();
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('Whole vendor');
});

test('an auditor sees the queue but no decision buttons', async ({ page }) => {
	await signInApi(page, DEMO.auditor.email);
	await page.goto('/findings/exceptions?status=requested');
	await expect(page.getByTestId('exception-row').first()).toBeVisible();
	await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Reject' })).toHaveCount(0);
});

test('the findings list pages on the server and keeps "assigned to me" in the URL', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	await page.goto('/');
	// The dashboard lists the findings this user owns, soonest due first.
	const mine = page.getByTestId('my-counts').getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Findings', exact: true }) });
	const owned = Number(await mine.locator('.n').innerText());
	expect(owned).toBeGreaterThan(0);
	await expect(page.getByTestId('my-findings').getByRole('listitem')).toHaveCount(Math.min(owned, 5));
	await page.getByTestId('my-counts').getByRole('link', { name: 'Findings', exact: true }).click();
	await expect(page).toHaveURL(/owner=me/);
	await expect(page.getByRole('combobox', { name: 'Owner' })).toHaveValue('me');
	const table = page.getByRole('table', { name: 'Findings' });
	await expect(table.locator('tbody tr').first()).toBeVisible();
	// Every row is the signed-in user's.
	const owners = await table.locator('tbody tr td:nth-child(5)').allInnerTexts();
	expect(owners.length).toBeGreaterThan(0);
	expect(owners.every((o) => o.trim() === 'You')).toBe(true);

	// The critical ones, as many as the server counts (the demo portfolio's findings vary with its history).
	const me = (await (await page.request.get('/api/v1/auth/me')).json()).user.id as string;
	const critical = (
		await (await page.request.get('/api/v1/findings', { params: { owner_id: me, status: 'open,in_progress', severity: 'critical', limit: 50 } })).json()
	).total as number;
	expect(critical).toBeGreaterThan(0);
	expect(critical).toBeLessThan(owned);
	await page.getByRole('combobox', { name: 'Severity' }).selectOption('critical');
	await expect(page).toHaveURL(/severity=critical/);
	await expect(table.locator('tbody tr')).toHaveCount(critical);
	await page.reload();
	await expect(page.getByRole('combobox', { name: 'Severity' })).toHaveValue('critical');
	await expect(table.locator('tbody tr')).toHaveCount(critical);
	await expectAccessible(page, 'the findings list');
	await page.getByRole('combobox', { name: 'Severity' }).selectOption('');
	await expect(table.locator('tbody tr')).not.toHaveCount(critical);
	await screenshot(page, 'findings-list');

	// The vendor filter searches the register (not a list of the first names) and shows a chip.
	const vendor = (await table.locator('tbody tr').first().locator('td:nth-child(2)').innerText()).trim();
	await page.getByRole('combobox', { name: 'Vendor' }).fill(vendor.split(' ')[0]!);
	await page.getByRole('option', { name: new RegExp(vendor) }).first().click();
	await expect(page).toHaveURL(/vendor=/);
	await expect(page.getByTestId('vendor-filter')).toContainText(vendor);
	await expectEveryCell(table.locator('tbody tr td:nth-child(2)'), (r) => r === vendor);
	await page.getByRole('button', { name: `Any vendor (remove ${vendor} filter)` }).click();
	await expect(page).not.toHaveURL(/vendor=/);
});
