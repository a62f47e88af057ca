import { apiAs, DEMO, expect, expectAccessible, signInApi, test, unique } from './fixtures';

test('a finding is created, edited with a conflict caught, and its exception cannot be approved by the requester', async ({
	page,
	request,
	consoleGuard
}) => {
	consoleGuard.allow(/status of 409|status of 403|status of 422/);
	const title = unique('Backups not tested');
	await signInApi(page, DEMO.risk.email);
	await page.goto('/findings');
	await page.getByRole('button', { name: 'New finding' }).click();
	const form = page.getByRole('form', { name: 'New finding' });
	// The vendor is searched in the whole register, not picked from a truncated list.
	const vendors = await (await page.request.get('/api/v1/vendors', { params: { limit: 1, sort: '-name' } })).json();
	const vendor = vendors.items[0] as { id: string; name: string };
	await form.getByRole('combobox', { name: 'Vendor' }).fill(vendor.name.slice(0, 6));
	await page.getByRole('option', { name: vendor.name }).first().click();
	await form.getByRole('combobox', { name: 'Severity' }).selectOption('high');
	await form.getByRole('textbox', { name: 'Title' }).fill(title);
	await expectAccessible(page, 'the new finding form');
	await form.getByRole('button', { name: 'Create finding' }).click();
	await expect(page).toHaveURL(/\/findings\/[^/]+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.getByRole('link', { name: vendor.name, exact: true })).toHaveAttribute('href', `/vendors/${vendor.id}`);
	const id = page.url().split('/').pop()!;

	// Someone else changes it meanwhile: saving says so and shows their version.
	const { csrf } = await apiAs(request, DEMO.admin.email);
	const current = await (await request.get(`/api/v1/findings/${id}`)).json();
	const other = await request.patch(`/api/v1/findings/${id}`, {
		headers: { 'X-CSRF-Token': csrf },
		data: { version: current.version, remediation_plan: 'Restore test every quarter.' }
	});
	expect(other.status()).toBe(200);
	await page.getByRole('combobox', { name: 'Status' }).selectOption('in_progress');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Someone else changed this finding')).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'Remediation plan' })).toHaveValue('Restore test every quarter.');
	await page.getByRole('combobox', { name: 'Status' }).selectOption('in_progress');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Finding saved.')).toBeVisible();

	// An exception: the requester is never offered the decision, and the request is still there
	// after a reload, with no second request offered.
	await page.getByRole('textbox', { name: 'Justification' }).fill('Vendor is replacing the backup system next quarter.');
	await page.getByRole('textbox', { name: 'Compensating controls' }).fill('Daily snapshot checks.');
	await page.getByRole('button', { name: 'Request exception' }).click();
	const exception = page.getByTestId('exception');
	await expect(exception).toContainText('Pending');
	await expect(exception).toContainText('Waiting for another risk manager or admin to decide.');
	await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Request exception' })).toHaveCount(0);
	await expectAccessible(page, 'a finding');
	await page.reload();
	await expect(exception).toHaveCount(1);
	await expect(exception).toContainText('Pending');
	await expect(exception).toContainText('asked by you');
	await expect(page.getByRole('button', { name: 'Request exception' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	// The server refuses a second pending request for the finding, naming the field.
	const second = await request.post('/api/v1/exceptions', {
		headers: { 'X-CSRF-Token': csrf },
		data: { finding_id: id, justification: 'Again', expires_on: new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10) }
	});
	expect(second.status()).toBe(422);
	expect((await second.json()).errors[0].field).toBe('finding_id');

	// Another decider sees the buttons and approves.
	await signInApi(page, DEMO.admin.email);
	await page.reload();
	await exception.getByRole('button', { name: 'Approve' }).click();
	await expect(exception).toContainText('Approved');
	await expect(exception).toContainText('approved by');
	await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	await expect(page.getByText('Risk accepted').first()).toBeVisible();

	await page.goto('/findings?severity=high');
	await expect(page.getByRole('link', { name: title })).toBeVisible();
});
