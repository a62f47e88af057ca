import { DEMO, expect, expectAccessible, signInApi, test, unique } from './fixtures';

test('the new-finding form takes a multi-line description, an owner who may work on findings and a due date that follows the severity', async ({
	page
}) => {
	// Legal raises findings but cannot read the risk model: the due dates still come from it.
	await signInApi(page, DEMO.legal.email);
	const dues = (await (await page.request.get('/api/v1/findings/due-dates')).json()).severities as Record<string, { days: number; date: string }>;
	await page.goto('/findings');
	await page.getByRole('button', { name: 'New finding' }).click();
	const form = page.getByRole('form', { name: 'New finding' });
	const due = form.getByLabel('Due date');
	await expect(due).toHaveValue(dues.medium!.date);
	await expect(form).toContainText(`Medium findings are due in ${dues.medium!.days} days.`);
	await form.getByRole('combobox', { name: 'Severity' }).selectOption('critical');
	await expect(due).toHaveValue(dues.critical!.date);

	// Owners are the people who may work on findings: not the auditor, not a department head.
	const owner = form.getByRole('combobox', { name: 'Owner' });
	await expect(owner.locator('option', { hasText: DEMO.risk.name })).toHaveCount(1);
	await expect(owner.locator('option', { hasText: DEMO.auditor.name })).toHaveCount(0);
	await expect(owner.locator('option', { hasText: DEMO.head.name })).toHaveCount(0);
	await expect(owner).toHaveValue(/.+/); // the one raising it, to begin with
	await owner.selectOption({ label: DEMO.risk.name });

	const vendors = await (await page.request.get('/api/v1/vendors', { params: { limit: 1, sort: 'name' } })).json();
	const vendor = vendors.items[0] as { id: string; name: string };
	await form.getByRole('combobox', { name: 'Vendor' }).fill(vendor.name.slice(0, 6));
	await page.getByRole('option', { name: vendor.name }).first().click();
	const title = unique('Shared admin password');
	await form.getByRole('textbox', { name: 'Title' }).fill(title);
	const description = form.getByRole('textbox', { name: 'Description' });
	await expect(description).toHaveJSProperty('tagName', 'TEXTAREA');
	await description.fill('Seen in the SOC 2 report, section 4.\nOne password for every admin.');
	// A date chosen by hand stays, whatever the severity.
	await due.fill('2027-06-30');
	await form.getByRole('combobox', { name: 'Severity' }).selectOption('high');
	await expect(due).toHaveValue('2027-06-30');
	await expectAccessible(page, 'the new finding form with owner and due date');
	await form.getByRole('button', { name: 'Create finding' }).click();
	await expect(page).toHaveURL(/\/findings\/[^/]+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);

	const id = page.url().split('/').pop()!;
	const f = await (await page.request.get(`/api/v1/findings/${id}`)).json();
	const me = await (await page.request.get('/api/v1/users', { params: { q: DEMO.risk.email } })).json();
	expect(f.description).toBe('Seen in the SOC 2 report, section 4.\nOne password for every admin.');
	expect(f.due_date).toBe('2027-06-30');
	expect(f.severity).toBe('high');
	expect(f.owner_id).toBe(me.items[0].id);
});
