// Remediation with the vendor: a risk manager shares a finding, the vendor proposes a plan
// through the link, the owner accepts it; and a document requested from the vendor arrives
// through its own link.
import { DEMO, expect, expectAccessible, httpError, screenshot, signInApi, test, unique } from './fixtures';

test('a vendor proposes a remediation plan through the link and the owner accepts it', async ({ page, browser, baseURL, consoleGuard }) => {
	consoleGuard.allow(httpError(409, '/api/v1/findings/'));
	await signInApi(page, DEMO.risk.email);
	const me = await (await page.request.get('/api/v1/auth/me')).json();
	const vendors = await (await page.request.get('/api/v1/vendors', { params: { limit: 1, sort: 'name' } })).json();
	const vendor = vendors.items[0] as { id: string; name: string };
	const title = unique('Admin console without MFA');
	const csrf = me.csrf_token as string;
	const created = await page.request.post('/api/v1/findings', {
		headers: { 'X-CSRF-Token': csrf },
		data: { vendor_id: vendor.id, title, description: 'Admins sign in with a password only.', severity: 'high', owner_id: me.user.id }
	});
	expect(created.status()).toBe(201);
	const finding = (await created.json()) as { id: string };

	await page.goto(`/findings/${finding.id}`);
	await page.getByRole('button', { name: 'Share with vendor' }).click();
	const share = page.getByRole('form', { name: 'Share with vendor' });
	await share.getByRole('textbox', { name: 'Vendor contact email' }).fill('sam@vendor.example');
	await share.getByRole('textbox', { name: 'Message' }).fill('Please enforce MFA <b>for all admins</b>.');
	await share.getByRole('button', { name: 'Share and send the link' }).click();
	const url = (await page.getByTestId('remediation-url').textContent())?.trim() ?? '';
	expect(url).toContain('/portal/remediation/rpr_');
	await expect(page.getByTestId('remediation-state')).toContainText('Waiting for the vendor’s plan');

	const context = await browser.newContext({ baseURL });
	const vendorPage = await context.newPage();
	await vendorPage.goto(new URL(url).pathname);
	await expect(vendorPage.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(vendorPage.getByText('Please enforce MFA <b>for all admins</b>.', { exact: true })).toBeVisible();
	const plan = vendorPage.getByRole('form', { name: 'Propose a remediation plan' });
	await plan.getByRole('textbox', { name: 'Plan' }).fill('Enforce MFA on every admin console <script>x</script>, then send the export.');
	const target = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
	await plan.getByLabel('Target date').fill(target);
	await expectAccessible(vendorPage, 'the portal remediation page');
	await plan.getByRole('button', { name: 'Send plan' }).click();
	await expect(vendorPage.getByText('Your plan was sent.')).toBeVisible();
	await expect(vendorPage.getByTestId('remediation-event').last()).toContainText('<script>x</script>');
	await screenshot(vendorPage, 'portal-remediation');

	await page.reload();
	await expect(page.getByTestId('remediation-state')).toContainText('Plan proposed');
	// Closing the finding by editing it is refused in words while the plan waits.
	await page.getByRole('combobox', { name: 'Status' }).selectOption('resolved');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText(/proposed remediation plan is not accepted yet/)).toBeVisible();
	await page.getByRole('textbox', { name: 'Comment for the vendor' }).fill('Agreed, thank you.');
	await page.getByRole('button', { name: 'Accept plan' }).click();
	await expect(page.getByTestId('remediation-state')).toContainText('Plan accepted');
	await expect(page.getByTestId('remediation-event').last()).toContainText('Agreed, thank you.');
	await expectAccessible(page, 'the finding page with a shared remediation');
	await screenshot(page, 'finding-remediation');

	await vendorPage.reload();
	await expect(vendorPage.getByRole('heading', { name: 'Agreed plan' })).toBeVisible();
	const progress = vendorPage.getByRole('form', { name: 'Post a progress update' });
	await progress.getByRole('textbox', { name: 'Update' }).fill('Done for all consoles.');
	await progress.getByLabel('Evidence file').setInputFiles({ name: 'mfa-export.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
	await progress.getByRole('checkbox', { name: /The work is done/ }).check();
	await progress.getByRole('button', { name: 'Send update' }).click();
	await expect(vendorPage.getByText('Marked done: the owner will review the work.')).toBeVisible();
	await expect(vendorPage.getByRole('link', { name: 'mfa-export.pdf' })).toBeVisible();
	await context.close();

	await page.reload();
	await expect(page.getByTestId('remediation-state')).toContainText('Marked done by the vendor');
	await page.getByRole('button', { name: 'Accept as complete' }).click();
	await expect(page.getByTestId('remediation-state')).toContainText('Accepted as complete');
	await expect(page.getByText('Resolved').first()).toBeVisible();
});

test('a document requested from the vendor arrives through its link', async ({ page, browser, baseURL }) => {
	await signInApi(page, DEMO.risk.email);
	const vendors = await (await page.request.get('/api/v1/vendors', { params: { limit: 1, sort: '-name' } })).json();
	const vendor = vendors.items[0] as { id: string; name: string };
	await page.goto(`/vendors/${vendor.id}?tab=documents`);
	const requests = page.getByTestId('evidence-requests');
	await requests.getByRole('button', { name: 'Request from vendor' }).click();
	const form = page.getByRole('form', { name: 'Request a document from the vendor' });
	await form.getByRole('combobox', { name: 'Document' }).selectOption('insurance_certificate');
	await form.getByRole('textbox', { name: 'Vendor contact email' }).fill('compliance@vendor.example');
	await form.getByRole('textbox', { name: 'Message' }).fill('Your current insurance certificate, please.');
	await form.getByRole('button', { name: 'Send request' }).click();
	const url = (await page.getByTestId('evidence-request-url').textContent())?.trim() ?? '';
	expect(url).toContain('/portal/evidence/rpe_');
	await expect(requests.getByTestId('evidence-request').first()).toContainText('Requested');
	// The demo vendor misses its insurance certificate: the checklist says it is requested.
	await expect(page.getByTestId('required-evidence').getByTestId('requested-note')).toContainText('requested on');
	await expectAccessible(page, 'the documents tab with a request');

	const context = await browser.newContext({ baseURL });
	const vendorPage = await context.newPage();
	await vendorPage.goto(new URL(url).pathname);
	await expect(vendorPage.getByRole('heading', { level: 1 })).toHaveText('Insurance certificate');
	await expect(vendorPage.getByText('Your current insurance certificate, please.')).toBeVisible();
	await expectAccessible(vendorPage, 'the portal document request page');
	await screenshot(vendorPage, 'portal-evidence-request');
	await vendorPage.getByRole('form', { name: 'Upload the document' }).locator('input[type=file]').setInputFiles({ name: 'insurance.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
	await vendorPage.getByRole('button', { name: 'Upload' }).click();
	await expect(vendorPage.getByTestId('evidence-uploaded')).toContainText('insurance.pdf');
	await context.close();

	await page.reload();
	await expect(page.getByTestId('evidence-requests').getByTestId('evidence-request').first()).toContainText('Uploaded');
	const row = page.getByTestId('evidence-row').filter({ hasText: 'insurance certificate' });
	await expect(row.first()).toContainText('Received');
	await screenshot(page, 'documents-evidence-request');
});
