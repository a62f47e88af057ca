// The Activity page offers every event family the server records, shows each event's label
// once and names its object.
import { apiAs, DEMO, expect, expectAccessible, signInApi, test, unique } from './fixtures';

test('contract events can be filtered, read as words once and name the contract', async ({ page, playwright, baseURL }) => {
	const legal = await playwright.request.newContext({ baseURL });
	const me = await apiAs(legal, DEMO.legal.email);
	const vendor = (await (await legal.get('/api/v1/vendors?limit=1&sort=name')).json()).items[0] as { id: string; name: string };
	const title = unique('Activity MSA');
	const created = await legal.post('/api/v1/contracts', {
		headers: { 'X-CSRF-Token': me.csrf },
		data: { vendor_id: vendor.id, title, type: 'msa' }
	});
	expect(created.status()).toBe(201);
	await legal.dispose();

	await signInApi(page, DEMO.auditor.email);
	await page.goto('/activity');
	const action = page.getByLabel('Action');
	// Every family is offered, each with its own actions.
	for (const group of ['Contracts', 'Assessments', 'Vendor portal', 'Findings', 'Exceptions', 'Vendors', 'Requests', 'Sign-in']) {
		await expect(action.locator(`optgroup[label="${group}"]`)).toHaveCount(1);
	}
	await expect(action.locator('option', { hasText: /^Added contract$/ })).toHaveCount(1);

	await action.selectOption('family:contract');
	await expect(page).toHaveURL('/activity?family=contract');
	const table = page.getByRole('table', { name: 'Audit events' });
	const row = table.locator('tbody tr', { hasText: title });
	await expect(row).toHaveCount(1);
	const actionCell = row.locator('td').nth(2);
	await expect(actionCell).toHaveText('Added contract');
	await expect(actionCell.locator('.action')).toHaveAttribute('title', 'contract.create');
	await expect(row.locator('td').nth(3)).toContainText(title);
	await expect(row.locator('td').nth(3)).toContainText('Contract');
	// No raw action codes anywhere in the list.
	await expect(table.locator('tbody')).not.toContainText('contract.create');
	await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
		'href',
		'/api/v1/audit-events/export.csv?family=contract'
	);

	await action.selectOption('contract.create');
	await expect(page).toHaveURL('/activity?action=contract.create');
	await expect(table.locator('tbody tr', { hasText: title })).toHaveCount(1);
	await expectAccessible(page, 'activity filtered to contract events');
});
