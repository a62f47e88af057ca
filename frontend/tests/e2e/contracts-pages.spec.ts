// The pages around a contract: adding and editing one, the renewal calendar with its personal
// iCalendar feed, the clause playbook settings, and the Contracts tab on the vendor page.
import type { APIRequestContext, Page } from '@playwright/test';
import { apiAs, DEMO, expect, expectAccessible, httpError, screenshot, signInApi, test, unique } from './fixtures';

const day = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));
/** What the app shows for a YYYY-MM-DD date (format.ts: dateStyle medium in the browser's locale). */
const shown = (page: Page, ymd: string) =>
	page.evaluate((s) => {
		const [y, m, d] = s.split('-').map(Number);
		return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(y!, m! - 1, d!));
	}, ymd);

interface VendorRow {
	id: string;
	name: string;
}

async function demoVendor(request: APIRequestContext, email: string): Promise<VendorRow> {
	await apiAs(request, email);
	const res = await request.get('/api/v1/vendors?limit=1&sort=name');
	expect(res.status()).toBe(200);
	return ((await res.json()) as { items: VendorRow[] }).items[0]!;
}

test('legal adds an auto-renewing contract with 60 days notice, sees its cancel-by date, and an edit that lost a race is caught', async ({
	page,
	request,
	consoleGuard
}) => {
	consoleGuard.allow(httpError(409, '/api/v1/contracts/'));
	const vendor = await demoVendor(request, DEMO.legal.email);
	await signInApi(page, DEMO.legal.email);
	// Markup in a title is text, never markup.
	const title = unique('Order form <i>EU</i> &');

	// Started on the first of the month eight months ago for twelve months: it ends the day before
	// the anniversary, and notice is due 60 days before that, one to two months from now.
	const now = new Date();
	const start = utc(now.getUTCFullYear(), now.getUTCMonth() - 8, 1);
	const end = utc(start.getUTCFullYear() + 1, start.getUTCMonth(), 0);
	const cancelBy = day(new Date(end.getTime() - 60 * 86_400_000));

	await page.goto('/contracts');
	await page.getByRole('link', { name: 'Add contract' }).click();
	await expect(page).toHaveURL(/\/contracts\/new$/);
	const form = page.getByRole('form', { name: 'New contract' });
	await form.getByRole('combobox', { name: 'Vendor' }).fill(vendor.name.slice(0, 6));
	await page.getByRole('option', { name: vendor.name }).first().click();
	await expect(page.getByTestId('chosen-vendor')).toContainText(vendor.name);

	// Nothing is sent without a title; the message sits by the field.
	await form.getByRole('button', { name: 'Add contract' }).click();
	await expect(form.getByRole('textbox', { name: 'Title' })).toHaveAttribute('aria-invalid', 'true');
	await expect(form.getByText('Enter a title')).toBeVisible();

	await form.getByRole('textbox', { name: 'Title' }).fill(title);
	await form.getByRole('combobox', { name: 'Type' }).selectOption('order_form');
	await form.getByRole('combobox', { name: 'Status' }).selectOption('signed');
	await form.getByLabel('Effective date').fill(day(start));
	await form.getByRole('textbox', { name: 'Initial term (months)' }).fill('12');
	await form.getByRole('combobox', { name: 'Renewal', exact: true }).selectOption('yes');
	await form.getByRole('textbox', { name: 'Renewal term (months)' }).fill('12');
	await form.getByRole('textbox', { name: 'Notice period' }).fill('60');
	await form.getByRole('combobox', { name: 'Notice unit' }).selectOption('days');
	await form.getByRole('textbox', { name: 'Value' }).fill('24,000');
	await form.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
	await expectAccessible(page, 'the new contract form');
	await screenshot(page, 'contracts-new');
	await form.getByRole('button', { name: 'Add contract' }).click();

	await expect(page).toHaveURL(/\/contracts\/(?!new$)[^/]+$/);
	const id = page.url().split('/').pop()!;
	const saved = await (await page.request.get(`/api/v1/contracts/${id}`)).json();
	expect(saved).toMatchObject({ title, type: 'order_form', end_date: day(end), cancel_by: cancelBy, notice_period: 60, value: 24000, currency: 'EUR', vendor_id: vendor.id });
	await expect(page.getByText(await shown(page, cancelBy)).first()).toBeVisible();

	// The edit page shows the computed dates; a change saved elsewhere first is caught.
	await page.goto(`/contracts/${id}/edit`);
	const edit = page.getByRole('form', { name: 'Edit contract' });
	await expect(page.getByTestId('computed-dates')).toContainText(await shown(page, cancelBy));
	await expect(edit.getByRole('combobox', { name: 'Parent contract' })).toBeEnabled();
	const { csrf } = await apiAs(request, DEMO.admin.email);
	const other = await request.patch(`/api/v1/contracts/${id}`, { headers: { 'X-CSRF-Token': csrf }, data: { version: saved.version, notice_period: 3, notice_unit: 'months' } });
	expect(other.status()).toBe(200);
	await edit.getByRole('textbox', { name: 'Notice period' }).fill('30');
	await edit.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('conflict')).toContainText('Someone else changed this contract');
	await expect(page.getByTestId('conflict')).toContainText('notice period');
	await page.getByRole('button', { name: 'Reload their version' }).click();
	await expect(edit.getByRole('textbox', { name: 'Notice period' })).toHaveValue('3');
	await expect(edit.getByRole('combobox', { name: 'Notice unit' })).toHaveValue('months');

	// Back to 60 days: saved, and the new cancel-by is shown at once.
	await edit.getByRole('textbox', { name: 'Notice period' }).fill('60');
	await edit.getByRole('combobox', { name: 'Notice unit' }).selectOption('days');
	await edit.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('saved')).toContainText(await shown(page, cancelBy));
	await screenshot(page, 'contracts-edit');
	const after = await (await page.request.get(`/api/v1/contracts/${id}`)).json();
	expect(after).toMatchObject({ notice_period: 60, notice_unit: 'days', cancel_by: cancelBy, version: saved.version + 2 });

	// The vendor's Contracts tab lists it, with a link to add another for that vendor.
	await page.goto(`/vendors/${vendor.id}?tab=contracts`);
	const tab = page.getByTestId('vendor-contracts');
	await expect(tab.getByRole('link', { name: title })).toBeVisible();
	await expect(tab.getByRole('row', { name: new RegExp(title) })).toContainText(await shown(page, cancelBy));
	await screenshot(page, 'contracts-vendor-tab');
	await tab.getByRole('link', { name: 'Add contract' }).click();
	await expect(page).toHaveURL(new RegExp(`/contracts/new\\?vendor_id=${vendor.id}$`));
	await expect(page.getByTestId('chosen-vendor')).toContainText(vendor.name);
	// A DPA can sit under the MSA just added.
	await expect(page.getByRole('combobox', { name: 'Parent contract' }).locator('option', { hasText: title })).toHaveCount(1);
});

test('the renewal calendar lists the demo deadlines by month, and the feed URL works until it is revoked', async ({ page, request }) => {
	await signInApi(page, DEMO.legal.email);
	// A renewal to decide within weeks: its term ends in 40 days and notice takes 20.
	const me = await (await page.request.get('/api/v1/auth/me')).json();
	const vendor = ((await (await page.request.get('/api/v1/vendors?limit=1&sort=-name')).json()) as { items: VendorRow[] }).items[0]!;
	const urgentTitle = unique('Support plan');
	const created = await page.request.post('/api/v1/contracts', {
		headers: { 'X-CSRF-Token': me.csrf_token },
		data: { vendor_id: vendor.id, title: urgentTitle, type: 'order_form', status: 'signed', end_date: day(new Date(Date.now() + 40 * 86_400_000)), auto_renewal: true, renewal_term_months: 12, notice_period: 20, notice_unit: 'days' }
	});
	expect(created.status()).toBe(201);
	await page.goto('/contracts');
	await page.getByRole('link', { name: 'Renewal calendar' }).click();
	await expect(page).toHaveURL(/\/contracts\/calendar$/);
	// What the page shows is what the API says is due in the window.
	const today = await page.evaluate(() => {
		const n = new Date();
		return new Date(Date.UTC(n.getFullYear(), n.getMonth(), n.getDate())).toISOString().slice(0, 10);
	});
	const to = await page.evaluate((from) => {
		const [y, m, d] = from.split('-').map(Number);
		const last = new Date(Date.UTC(y!, m! + 2, 0)).getUTCDate();
		const end = new Date(Date.UTC(y!, m! + 2, Math.min(d!, last)) - 86_400_000);
		return end.toISOString().slice(0, 10);
	}, today);
	// Three months from today: the months it touches are listed, even those with nothing due.
	const months = (Number(to.slice(0, 4)) - Number(today.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(today.slice(5, 7)) + 1;
	await expect(page.getByTestId('month')).toHaveCount(months);
	const res = await page.request.get(`/api/v1/calendar?from=${today}&to=${to}`);
	expect(res.status()).toBe(200);
	const events = ((await res.json()) as { items: { kind: string; date: string; object_id: string }[] }).items;
	const cancels = events.filter((e) => e.kind === 'cancel_by');
	expect(cancels.length, 'demo contracts have cancel-by dates in the next three months').toBeGreaterThan(0);
	await expect(page.locator('[data-testid="calendar-entry"][data-kind="cancel_by"]')).toHaveCount(cancels.length);
	// Reassessments due on one day share a row (collapsed): every deadline is still counted once.
	const grouped = await page
		.getByTestId('calendar-group')
		.evaluateAll((els) => els.reduce((n, el) => n + Number(el.getAttribute('data-count')), 0));
	await expect(page.getByTestId('calendar-entry')).toHaveCount(events.length - grouped);
	const soon = cancels.filter((e) => (Date.parse(e.date) - Date.parse(today)) / 86_400_000 <= 30);
	expect(soon.length).toBeGreaterThan(0);
	await expect(page.locator('[data-testid="calendar-entry"].urgent')).toHaveCount(soon.length);
	await expect(page.locator('[data-testid="calendar-entry"].urgent').filter({ hasText: urgentTitle })).toHaveCount(1);
	await expect(page.getByText(`${soon.length} cancel-by ${soon.length === 1 ? 'date' : 'dates'} within 30 days`)).toBeVisible();
	const first = cancels[0]!;
	const entry = page.locator(`[data-testid="calendar-entry"][data-kind="cancel_by"]`).filter({ has: page.locator(`a[href="/contracts/${first.object_id}"]`) });
	await expect(entry.first()).toContainText(await shown(page, first.date));
	await expect(entry.first()).toContainText('Cancel by');
	await expectAccessible(page, 'the renewal calendar');

	// The next quarter, and back.
	await page.getByRole('button', { name: 'Next quarter' }).click();
	await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}/);
	await expect(page.getByRole('button', { name: 'Today' })).toBeVisible();
	await page.getByRole('button', { name: 'Previous quarter' }).click();
	await expect(page).toHaveURL(/\/contracts\/calendar$/);
	await expect(page.locator('[data-testid="calendar-entry"][data-kind="cancel_by"]')).toHaveCount(cancels.length);

	// The feed: made once, shown once, a calendar app can read it.
	await page.getByRole('button', { name: 'Create feed URL' }).click();
	const url = await page.getByTestId('feed-url').inputValue();
	expect(url).toMatch(/\/api\/v1\/calendar\/feed\/rcf_[A-Za-z0-9_-]+\.ics$/);
	await expect(page.getByText('Google Calendar')).toBeVisible();
	await screenshot(page, 'contracts-calendar');
	const path = new URL(url).pathname;
	// Fetched without a session, as a calendar app does: the URL is the credential.
	const feed = await request.get(path);
	expect(feed.status()).toBe(200);
	expect(feed.headers()['content-type']).toContain('text/calendar');
	const ics = await feed.text();
	expect(ics).toContain('BEGIN:VEVENT');
	expect(ics).toContain(`DTSTART;VALUE=DATE:${first.date.replaceAll('-', '')}`);

	await page.getByRole('button', { name: 'Stop the feed' }).click();
	const dialog = page.getByRole('dialog', { name: 'Stop your calendar feed?' });
	await dialog.getByRole('button', { name: 'Stop the feed' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByText('Feed stopped')).toBeVisible();
	await expect(page.getByTestId('feed-url')).toHaveCount(0);
	expect((await request.get(path)).status()).toBe(404);
});

test('legal changes a playbook rule and saves it; a bad value is named next to its rule; a save that lost a race is caught', async ({
	page,
	request,
	consoleGuard
}) => {
	consoleGuard.allow(httpError(422, '/api/v1/playbook'));
	consoleGuard.allow(httpError(409, '/api/v1/playbook'));
	await signInApi(page, DEMO.legal.email);
	const original = await (await page.request.get('/api/v1/playbook')).json();
	await page.goto('/settings/playbook');
	const breach = page.locator('[data-testid="rule"][data-term="breach_notification"]');
	await expect(breach.getByRole('textbox', { name: 'At most' })).toHaveValue('72');
	await expect(breach.getByRole('combobox', { name: 'Unit' })).toHaveValue('hours');
	await expectAccessible(page, 'the playbook editor');
	await screenshot(page, 'contracts-playbook');

	await breach.getByRole('textbox', { name: 'At most' }).fill('48');
	await page.getByRole('textbox', { name: 'Note' }).fill('Tighter breach notice after the audit.');
	await page.getByRole('button', { name: 'Save playbook' }).click();
	await expect(page.getByTestId('playbook-saved')).toContainText('version');
	const saved = await (await page.request.get('/api/v1/playbook')).json();
	const rule = saved.playbook.rules.find((r: { term: string }) => r.term === 'breach_notification');
	expect(rule.duration).toEqual({ hours: 48 });
	await page.reload();
	await expect(breach.getByRole('textbox', { name: 'At most' })).toHaveValue('48');
	await expect(breach).toContainText('At most 48 hours');

	// 150% uptime passes the page's own check; the server's message lands by the field.
	const uptime = page.locator('[data-testid="rule"][data-term="sla_uptime"]');
	await uptime.getByRole('textbox', { name: 'At least (%)' }).fill('150');
	await page.getByRole('button', { name: 'Save playbook' }).click();
	await expect(uptime.getByRole('textbox', { name: 'At least (%)' })).toHaveAttribute('aria-invalid', 'true');
	await expect(uptime).toContainText('Must be more than 0 and at most 100');
	await expect(uptime.getByRole('textbox', { name: 'At least (%)' })).toBeFocused();
	await screenshot(page, 'contracts-playbook-error');
	await uptime.screenshot({ path: 'test-results/contracts-playbook-rule-error.png' });
	await page.locator('[data-testid="rule"][data-term="liability_cap"]').screenshot({ path: 'test-results/contracts-playbook-rule-cap.png' });
	await page.locator('[data-testid="rule"][data-term="governing_law"]').screenshot({ path: 'test-results/contracts-playbook-rule-values.png' });
	expect((await (await page.request.get('/api/v1/playbook')).json()).version).toBe(saved.version);

	// Someone else publishes first: the page says so instead of overwriting.
	await uptime.getByRole('textbox', { name: 'At least (%)' }).fill('99.95');
	const { csrf } = await apiAs(request, DEMO.admin.email);
	const theirs = await request.put('/api/v1/playbook', { headers: { 'X-CSRF-Token': csrf }, data: { version: saved.version, playbook: saved.playbook, note: 'admin' } });
	expect(theirs.status()).toBe(200);
	await page.getByRole('button', { name: 'Save playbook' }).click();
	await expect(page.getByTestId('conflict')).toContainText('Someone else saved the playbook');
	await page.getByRole('button', { name: 'Keep mine and save again' }).click();
	await expect(page.getByTestId('playbook-saved')).toBeVisible();
	const final = await (await page.request.get('/api/v1/playbook')).json();
	expect(final.version).toBe(saved.version + 2);
	expect(final.playbook.rules.find((r: { term: string }) => r.term === 'sla_uptime').percent).toBe(99.95);

	// Later specs expect the default rules: publish them again.
	const restored = await request.put('/api/v1/playbook', { headers: { 'X-CSRF-Token': csrf }, data: { version: final.version, playbook: original.playbook, note: 'e2e: back to the defaults' } });
	expect(restored.status()).toBe(200);
});

test('an auditor reads the playbook and the vendor’s contracts but is offered no way to change them', async ({ page, request }) => {
	const vendor = await demoVendor(request, DEMO.auditor.email);
	await signInApi(page, DEMO.auditor.email);
	await page.goto('/settings');
	await page.getByRole('link', { name: /Clause playbook/ }).click();
	await expect(page).toHaveURL(/\/settings\/playbook$/);
	await expect(page.getByText('Read only')).toBeVisible();
	const table = page.getByRole('table', { name: 'Playbook rules' });
	await expect(table.getByRole('row', { name: /Breach notification/ })).toContainText('At most 72 hours');
	await expect(table.getByRole('row', { name: /Audit rights/ })).toContainText('Tiers 1 and 2');
	await expect(page.getByRole('button', { name: 'Save playbook' })).toHaveCount(0);
	await expect(page.getByRole('textbox')).toHaveCount(0);
	await expectAccessible(page, 'the read-only playbook');
	await screenshot(page, 'contracts-playbook-readonly');

	await page.goto(`/vendors/${vendor.id}?tab=contracts`);
	await expect(page.getByTestId('vendor-contracts')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Add contract' })).toHaveCount(0);
	await page.goto('/contracts');
	await expect(page.getByRole('link', { name: 'Renewal calendar' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Add contract' })).toHaveCount(0);
	const some = ((await (await page.request.get('/api/v1/contracts?limit=1')).json()) as { items: { id: string }[] }).items[0]!;
	for (const path of ['/contracts/new', `/contracts/${some.id}/edit`]) {
		await page.goto(path);
		await expect(page.getByTestId('no-access')).toBeVisible();
		await expect(page.getByRole('form')).toHaveCount(0);
	}
});
