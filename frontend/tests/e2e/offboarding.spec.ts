import { DEMO, apiAs, expect, expectAccessible, httpError, screenshot, signInApi, test, unique } from './fixtures';

// A vendor of its own (the suite shares one database, and terminating a
// demo vendor would change what other specs see), set up like a demo
// vendor: active, signing in with SSO and reached by API.
test('a risk manager starts offboarding, works the checklist (a certificate linked, a step waived with a reason) and signs off: the vendor shows Terminated', async ({
	page,
	consoleGuard
}) => {
	const { csrf } = await apiAs(page.request, DEMO.risk.email);
	const name = unique('Offboarded Analytics');
	const created = await page.request.post('/api/v1/vendors', {
		headers: { 'X-CSRF-Token': csrf },
		data: { name, category: 'saas', status: 'active', integration_methods: ['sso', 'api'] }
	});
	expect(created.status(), await created.text()).toBe(201);
	const vendor = (await created.json()) as { id: string };
	const up = await page.request.post(`/api/v1/vendors/${vendor.id}/evidence`, {
		headers: { 'X-CSRF-Token': csrf },
		multipart: {
			kind: 'destruction_certificate',
			title: 'Certificate of destruction',
			file: { name: 'destruction.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n') }
		}
	});
	expect(up.status(), await up.text()).toBe(201);
	consoleGuard.allow(httpError(422, `/api/v1/vendors/${vendor.id}/offboarding/items/`));

	// Before: the tab offers to start (and asks the server nothing).
	await page.goto(`/vendors/${vendor.id}?tab=offboarding`);
	await expect(page.getByRole('tabpanel')).toContainText('No offboarding yet');
	await page.getByRole('button', { name: 'Start offboarding' }).first().click();
	const confirm = page.getByRole('dialog', { name: /Start offboarding/ });
	await expect(confirm).toContainText('becomes terminated only when the checklist is signed off');
	await confirm.getByRole('button', { name: 'Start offboarding' }).click();

	const checklist = page.getByTestId('offboarding');
	const items = checklist.getByTestId('offboarding-item');
	await expect(items).toHaveCount(6);
	await expect(page.getByRole('main').getByText('Offboarding', { exact: true }).first()).toBeVisible();
	await expect(checklist.getByText('1 of 6 done')).toBeVisible();
	await expect(items.filter({ hasText: 'Revoke single sign-on access' })).toBeVisible();
	await expect(items.filter({ hasText: 'Revoke API keys and integrations' })).toBeVisible();
	await expect(items.filter({ hasText: 'Retrieve or delete our data' })).toContainText('No confirmed term');
	await expect(checklist.getByRole('button', { name: 'Sign off and terminate' })).toBeDisabled();
	await expectAccessible(page, 'a new offboarding checklist');

	await checklist.getByRole('button', { name: 'Done: Revoke single sign-on access' }).click();
	await expect(items.filter({ hasText: 'Revoke single sign-on access' })).toHaveAttribute('data-status', 'done');
	await checklist.getByRole('button', { name: 'Done: Revoke API keys and integrations' }).click();
	await expect(checklist.getByText('3 of 6 done')).toBeVisible();

	// The certificate comes from the vendor's evidence.
	await checklist.getByRole('button', { name: 'Done: Obtain a certificate of destruction' }).click();
	const cert = page.getByRole('dialog', { name: 'Link the certificate of destruction' });
	await expect(cert.getByRole('combobox', { name: 'Certificate' })).toHaveValue(/.+/);
	await cert.getByRole('button', { name: 'Mark done' }).click();
	await expect(items.filter({ hasText: 'Obtain a certificate of destruction' })).toContainText('Certificate linked: Certificate of destruction');

	// Waiving needs a reason: the server's message shows beside the field.
	await checklist.getByRole('button', { name: 'Waive: Retrieve or delete our data' }).click();
	const waive = page.getByRole('dialog', { name: /Waive/ });
	await waive.getByRole('button', { name: 'Waive step' }).click();
	await expect(waive.getByText('is required: say why this step is waived')).toBeVisible();
	await expectAccessible(page, 'the waive dialog with its error');
	await waive.getByLabel('Reason').fill('The vendor only ever held anonymised analytics; nothing to return');
	await waive.getByRole('button', { name: 'Waive step' }).click();
	const waived = items.filter({ hasText: 'Retrieve or delete our data' });
	await expect(waived).toHaveAttribute('data-status', 'waived');
	await expect(waived).toContainText('Waived: The vendor only ever held anonymised analytics');
	await expect(checklist.getByText('5 of 6 done')).toBeVisible();
	await screenshot(page, 'offboarding-ready');

	await checklist.getByRole('button', { name: 'Sign off and terminate' }).click();
	await page.getByRole('dialog', { name: /Sign off and terminate/ }).getByRole('button', { name: 'Sign off' }).click();
	await expect(checklist.getByText('Offboarding signed off', { exact: true })).toBeVisible();
	await expect(checklist.getByText('6 of 6 done')).toBeVisible();
	await expect(page.locator('.summary').getByText('Terminated', { exact: true })).toBeVisible();
	await expect(checklist.getByRole('button', { name: /^(Done|Waive|Reopen)/ })).toHaveCount(0);
	await expectAccessible(page, 'a signed-off offboarding');
	await screenshot(page, 'offboarding-signed-off');

	// The vendor's activity keeps each step.
	await page.goto(`/vendors/${vendor.id}?tab=activity`);
	await expect(page.getByText('Signed off offboarding').first()).toBeVisible();
	await expect(page.getByText('Waived offboarding step').first()).toBeVisible();
});

test('the demo vendor being offboarded shows its partly done checklist: a waived step with its reason, the data return due from the confirmed term', async ({
	page
}) => {
	await signInApi(page, DEMO.auditor.email);
	const list = await (await page.request.get('/api/v1/vendors', { params: { q: 'Bluefin Translations' } })).json();
	const vendor = (list.items as { id: string; status: string }[])[0]!;
	expect(vendor.status).toBe('offboarding');

	await page.goto(`/vendors/${vendor.id}`);
	await expect(page.getByTestId('offboarding-progress')).toHaveText(/Offboarding: \d of \d done/);
	await page.getByRole('tab', { name: 'Offboarding' }).click();
	const checklist = page.getByTestId('offboarding');
	const items = checklist.getByTestId('offboarding-item');
	await expect(items.filter({ hasText: 'Uninstall the vendor' })).toContainText('Waived: The agent only ran on two pilot laptops');
	const dataReturn = items.filter({ hasText: 'Retrieve or delete our data: Translation services agreement' });
	await expect(dataReturn).toContainText('30 days after the contract');
	await expect(dataReturn.getByRole('blockquote', { name: 'Confirmed contract term' })).toContainText('within thirty (30) days');
	await expect(items.filter({ hasText: 'Terminate or let lapse' })).toContainText('Give notice by');
	// The auditor reads it and changes nothing.
	await expect(checklist.getByRole('button')).toHaveCount(0);
	await expectAccessible(page, 'the demo offboarding checklist');
	await screenshot(page, 'offboarding-demo');
});
