// The bell, the notifications page, notification settings and the admin's demo outbox.
import { apiAs, DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';
import { arrange, vendorContext } from './portal-helpers';

test('the bell shows the unread count, lists notices with links and marks them read', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	const before = ((await (await page.request.get('/api/v1/notifications/unread-count')).json()) as { unread: number }).unread;
	expect(before, 'the demo data gives the risk manager unread notices').toBeGreaterThan(1);
	await page.goto('/vendors');
	const bell = page.getByRole('banner').getByRole('button', { name: /^Notifications, \d+ unread$/ });
	await expect(bell).toHaveAccessibleName(`Notifications, ${before} unread`);
	await expect(page.getByTestId('bell-count')).toHaveText(String(before));

	await bell.click();
	const panel = page.getByRole('region', { name: 'Notifications' });
	await expect(panel).toBeVisible();
	const notices = panel.getByRole('listitem');
	// The panel shows the newest few: earlier browser tests add notices of their own, so the newest
	// is whatever the API lists first; the demo's older ones are checked in the whole list.
	const newest = ((await (await page.request.get('/api/v1/notifications?limit=1')).json()) as { items: { title: string }[] }).items[0];
	expect(newest, 'the risk manager has notices').toBeDefined();
	await expect(notices.first()).toContainText(newest!.title);
	const all = ((await (await page.request.get('/api/v1/notifications?limit=200')).json()) as { items: { kind_label: string }[] }).items;
	expect(all.map((n) => n.kind_label), 'the demo data notifies the risk manager of an overdue finding').toContain('Finding overdue');
	await expectAccessible(page, 'the open bell panel');
	await screenshot(page, 'notifications-bell-panel');

	// Escape closes the panel and gives focus back to the bell.
	await page.keyboard.press('Escape');
	await expect(panel).toBeHidden();
	await expect(bell).toBeFocused();

	// Following an unread notice opens its object and counts it read.
	await bell.click();
	const first = panel.getByRole('link').filter({ hasText: 'Unread:' }).first();
	const href = await first.getAttribute('href');
	await first.click();
	await expect(page).toHaveURL(new RegExp(`${href}$`));
	await expect(bell).toHaveAccessibleName(`Notifications, ${before - 1} unread`);

	// The full page lists them too; "Mark all read" empties the count.
	await page.goto('/notifications');
	await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
	await expect(page.getByRole('table', { name: 'Notifications' }).getByRole('row').nth(1)).toBeVisible();
	await page.getByRole('link', { name: /^Unread/ }).click();
	await expect(page).toHaveURL(/show=unread/);
	await expect(page.getByRole('button', { name: /^Mark read: / })).toHaveCount(before - 1);
	await expectAccessible(page, 'the notifications page');
	await screenshot(page, 'notifications-page');
	await page.getByRole('button', { name: 'Mark all read' }).click();
	await expect(page.getByText('Nothing unread.')).toBeVisible();
	await expect(bell).toHaveAccessibleName('Notifications, 0 unread');
	await expect(page.getByTestId('bell-count')).toHaveCount(0);
});

test('notification preferences are saved and come back after a reload', async ({ page }) => {
	await signInApi(page, DEMO.head.email);
	await page.goto('/settings/notifications');
	const digest = page.getByRole('radio', { name: 'Request decided: Daily digest' });
	const email = page.getByRole('radio', { name: 'Request decided: Email (default)' });
	await expect(email).toBeChecked();
	await expect(page.getByText(/^The requester, when the request is approved/)).toBeVisible();
	// A department head sees no mail administration.
	await expect(page.getByRole('heading', { name: 'Scheduled tasks' })).toHaveCount(0);
	await digest.check();
	await page.getByRole('radio', { name: 'Finding due in 7 days: Off' }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Your notification settings are saved.')).toBeVisible();
	await page.reload();
	await expect(digest).toBeChecked();
	await expect(page.getByRole('radio', { name: 'Finding due in 7 days: Off' })).toBeChecked();
	await expect(email).not.toBeChecked();
	await expectAccessible(page, 'notification settings');
});

test('an admin reads the invitation in the demo outbox and its link opens the portal', async ({ page, browser, baseURL, consoleGuard }) => {
	// Three pages, three accessibility scans and the portal: more than the default on a busy machine.
	test.setTimeout(60_000);
	// The message's HTML has no script; the test tools' own helpers try to run in every frame and
	// the sandbox refuses them, which Chromium logs. That refusal is the sandbox doing its job.
	consoleGuard.allow(/Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/);
	const a = await arrange(page.request, 5);
	const { csrf } = await apiAs(page.request, DEMO.risk.email);
	const created = await page.request.post('/api/v1/assessments', {
		headers: { 'X-CSRF-Token': csrf },
		data: { vendor_id: a.vendorId, template_id: a.templateId, reviewer_id: a.reviewerId }
	});
	expect(created.status(), await created.text()).toBe(201);
	const assessment = (await created.json()) as { id: string };
	const to = `outbox-${Date.now().toString(36)}@vendor.example`;

	// The risk manager sends it by email, choosing the address and the link's lifetime.
	await page.goto(`/assessments/${assessment.id}`);
	await page.getByRole('button', { name: 'Send to vendor' }).click();
	const dialog = page.getByRole('dialog', { name: 'Send the questionnaire' });
	await dialog.getByRole('radio', { name: /Another address|Email address/ }).check();
	await dialog.getByLabel('Contact email').fill(to);
	await dialog.getByLabel('The link works for').selectOption('14');
	await expect(dialog.getByTestId('send-outcome')).toContainText(`The link will be emailed to ${to}`);
	await expectAccessible(page, 'the send dialog');
	await dialog.screenshot({ path: 'test-results/notifications-send-dialog.png' });
	await dialog.getByRole('button', { name: 'Send questionnaire' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByTestId('portal-link')).toContainText(`The invitation to ${to} is in the demo outbox.`);
	const shownOnce = await page.getByTestId('portal-url').inputValue();
	// The assessment page says what was mailed, to whom and its state.
	await expect(page.getByTestId('assessment-mails')).toContainText(to);
	await expect(page.getByTestId('assessment-mails')).toContainText('Held (demo)');

	// The admin finds it in the demo outbox and reads it in full.
	await signInApi(page, DEMO.admin.email);
	await page.goto('/settings/notifications');
	await expect(page.getByTestId('mail-mode')).toContainText('Demo outbox');
	await expect(page.getByTestId('mail-mode')).toContainText('RAMPART_SMTP_URL');
	await expect(page.getByRole('heading', { name: 'Scheduled tasks' })).toBeVisible();
	await expectAccessible(page, 'notification settings with mail status for an administrator');
	await screenshot(page, 'notifications-settings-admin');
	await page.getByRole('link', { name: 'Open the demo outbox' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Demo outbox' })).toBeVisible();
	await page.getByLabel('Status').selectOption('held');
	await expect(page).toHaveURL(/status=held/);
	const row = page.getByRole('row').filter({ hasText: to });
	await expect(row).toContainText('Questionnaire invitation');
	await expectAccessible(page, 'the demo outbox');
	await screenshot(page, 'notifications-outbox');
	await row.getByRole('link').first().click();

	// The HTML part is shown only in a sandboxed frame; the text part is plain text.
	const frame = page.getByTestId('mail-html');
	await expect(frame).toHaveAttribute('sandbox', '');
	await expect(frame).toHaveAttribute('srcdoc', /Open in Rampart/);
	await expect(page.getByText('Held in the demo outbox: no try was made.')).toBeVisible();
	await screenshot(page, 'notifications-outbox-message');
	await page.getByRole('tab', { name: 'Plain text' }).click();
	// (axe cannot look into a frame that runs no script, so it checks the page with the text part.)
	await expectAccessible(page, 'a message in the demo outbox');
	const text = await page.getByTestId('mail-text').innerText();
	const link = text.match(/https?:\/\/\S+\/portal\/\S+/)?.[0];
	expect(link, text).toBe(shownOnce);

	// The vendor opens the link from the message and reaches the portal.
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(new URL(link!).pathname);
	await expect(vendor.page.getByRole('heading', { level: 1 })).toHaveText('Rampart Lite');
	expect(vendor.problems).toEqual([]);
	await vendor.context.close();
});

test('only administrators see the mail log: the UI hides it and the API refuses', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	await page.goto('/settings');
	await expect(page.getByRole('link', { name: /^Notifications/ })).toBeVisible();
	await expect(page.getByRole('link', { name: /Mail delivery log/ })).toHaveCount(0);
	await page.goto('/settings/notifications');
	await expect(page.getByRole('heading', { name: 'Your notifications' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Mail', exact: true })).toHaveCount(0);
	await page.goto('/settings/mail');
	await expect(page.getByTestId('no-access')).toBeVisible();
	for (const path of ['/api/v1/mail', '/api/v1/mail/status']) {
		const res = await page.request.get(path);
		expect(res.status(), path).toBe(403);
		expect(res.headers()['content-type']).toContain('application/problem+json');
	}
});
