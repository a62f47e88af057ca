import type { APIRequestContext, Page } from '@playwright/test';
import {
	apiAs,
	DEMO,
	expect,
	expectAccessible,
	expectEveryCell,
	httpError,
	screenshot,
	signInApi,
	test,
	unique
} from './fixtures';

interface VendorJson {
	id: string;
	name: string;
	version: number;
	department: string;
	criticality: string;
}

/** Adds a vendor through the API as the risk manager. */
async function createVendor(request: APIRequestContext, data: Record<string, unknown>): Promise<VendorJson> {
	const { csrf } = await apiAs(request, DEMO.risk.email);
	const res = await request.post('/api/v1/vendors', {
		headers: { 'X-CSRF-Token': csrf },
		data: { category: 'saas', confirm_duplicate: true, ...data }
	});
	expect(res.status(), await res.text()).toBe(201);
	return (await res.json()) as VendorJson;
}

/** How many current (not archived) vendors the register holds. */
async function vendorCount(page: Page): Promise<number> {
	const res = await page.request.get('/api/v1/vendors?limit=1');
	expect(res.status()).toBe(200);
	return ((await res.json()) as { total: number }).total;
}

function slug(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

test.describe('the vendor list', () => {
	test('filters, sort and search live in the URL, survive a reload and travel with the export', async ({ page }) => {
		await signInApi(page, DEMO.risk.email);
		await page.goto('/vendors');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vendors');
		const table = page.getByRole('table', { name: 'Vendors' });
		const rows = table.locator('tbody tr');
		await expect(rows.first()).toBeVisible();
		await expect(page.getByRole('navigation', { name: 'Vendor pages' })).toContainText(/\d+ vendors/);

		// Status: a multi-select of checkboxes.
		await page.getByRole('button', { name: 'Status Any status' }).click();
		const statuses = page.getByRole('group', { name: 'Status' });
		await statuses.getByLabel('Active').check();
		await statuses.getByLabel('Approved').check();
		await page.keyboard.press('Escape');
		await expect(page).toHaveURL(/status=approved%2Cactive/);
		await expect(page.getByRole('button', { name: 'Status Approved, Active' })).toBeVisible();
		// The status badge leads the cell (an evidence-gaps badge may follow it).
		await expectEveryCell(table.locator('tbody tr td:nth-child(2) > .badge:first-child'), (t) => ['Active', 'Approved'].includes(t));

		// Search, debounced.
		await page.getByLabel('Search').fill('payroll');
		await expect(page).toHaveURL(/q=payroll/);
		await expectEveryCell(table.locator('tbody tr td:first-child .name'), (t) => t.toLowerCase().includes('payroll'));

		// Sort by spend, highest first.
		await table.getByRole('button', { name: /Spend/ }).click();
		await expect(page).toHaveURL(/sort=annual_spend/);
		await table.getByRole('button', { name: /Spend/ }).click();
		await expect(page).toHaveURL(/sort=-annual_spend/);
		const spendHeader = table.getByRole('columnheader', { name: /Spend/ });
		await expect(spendHeader).toHaveAttribute('aria-sort', 'descending');

		await page.getByLabel('Criticality').selectOption('critical');
		await expect(page).toHaveURL(/criticality=critical/);
		await expectEveryCell(table.locator('tbody tr td:nth-child(7)'), (t) => t === 'Critical');
		const names = await table.locator('tbody .name').allInnerTexts();

		await page.reload();
		await expect(page.getByLabel('Search')).toHaveValue('payroll');
		await expect(page.getByLabel('Criticality')).toHaveValue('critical');
		await expect(page.getByRole('button', { name: 'Status Approved, Active' })).toBeVisible();
		await expect(spendHeader).toHaveAttribute('aria-sort', 'descending');
		await expect.poll(() => table.locator('tbody .name').allInnerTexts()).toEqual(names);

		// The export carries exactly the list's filters.
		const csvLink = page.getByRole('link', { name: 'Export CSV' });
		const href = await csvLink.getAttribute('href');
		expect(href).toBe('/api/v1/vendors/export.csv?q=payroll&status=approved%2Cactive&criticality=critical&sort=-annual_spend');
		const csv = await page.request.get(href!);
		expect(csv.status()).toBe(200);
		expect(csv.headers()['content-type']).toContain('text/csv');
		const body = await csv.text();
		expect(body.split('\n')[0]).toContain('rampart_id,external_id,name');
		for (const name of names) expect(body).toContain(name);
		await expect(page.getByRole('link', { name: 'Export XLSX' })).toHaveAttribute('href', href!.replace('.csv', '.xlsx'));

		await page.getByRole('button', { name: 'Clear filters' }).first().click();
		await expect(page).toHaveURL('/vendors?sort=-annual_spend');
		await screenshot(page, 'vendors-list');
	});

	test('an auditor reads the register without change controls', async ({ page }) => {
		await signInApi(page, DEMO.auditor.email);
		await page.goto('/vendors');
		await expect(page.getByRole('table', { name: 'Vendors' }).locator('tbody tr').first()).toBeVisible();
		await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Add vendor' })).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Import' })).toHaveCount(0);
		await page.getByRole('table', { name: 'Vendors' }).locator('tbody .name').first().click();
		await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
		await expect(page.getByRole('button', { name: 'Archive' })).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
	});
});

test.describe('adding a vendor', () => {
	test('warns about a likely duplicate, shows server errors by their rows, then creates anyway', async ({
		page,
		consoleGuard
	}) => {
		consoleGuard.allow(httpError(409, '/api/v1/vendors'));
		consoleGuard.allow(httpError(422, '/api/v1/vendors'));
		await signInApi(page, DEMO.risk.email);
		await page.goto('/vendors');
		await page.getByRole('link', { name: 'Add vendor' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add vendor');

		// The form checks what it can first.
		await page.getByRole('button', { name: 'Add vendor' }).click();
		await expect(page.locator('#vendor-name')).toBeFocused();
		await expect(page.getByText('Enter the vendor’s name.')).toBeVisible();
		await expect(page.getByText('Choose a category.')).toBeVisible();

		// A name like an existing vendor's ("Ltd" and case ignored): the hint appears while typing.
		await page.locator('#vendor-name').fill('amberfall legal partners ltd');
		const hint = page.getByTestId('duplicate-hint');
		await expect(hint).toContainText('Amberfall Legal Partners');
		await expect(hint.getByRole('link', { name: 'Amberfall Legal Partners' })).toHaveAttribute('href', /^\/vendors\//);
		await page.getByLabel('Category').selectOption('professional_services');
		await page.getByLabel('Business criticality').selectOption('high');
		await page.getByRole('group', { name: 'Data it handles' }).getByLabel('Confidential').check();

		// A contact address the server refuses: its message lands beside that contact's field.
		await page.getByRole('button', { name: 'Add contact' }).click();
		const contact = page.getByRole('group', { name: 'Contact 1' });
		await expect(contact.getByLabel('Contact name')).toBeFocused();
		await contact.getByLabel('Contact name').fill('Dana Reyes');
		await contact.getByLabel('Contact email').fill('dana..reyes@amberfall.example');
		await page.getByRole('button', { name: 'Add vendor' }).click();
		await expect(contact.getByLabel('Contact email')).toHaveAttribute('aria-invalid', 'true');
		await expect(contact.getByText('Must be a valid email address')).toBeVisible();
		await expect(contact.getByLabel('Contact email')).toBeFocused();
		await contact.getByLabel('Contact email').fill('dana.reyes@amberfall.example');

		// Fourth parties: one from the register, one by name.
		await page.getByRole('button', { name: 'Add fourth party' }).click();
		const first = page.getByRole('group', { name: 'Fourth party 1' });
		await first.getByRole('combobox', { name: 'Fourth party' }).fill('bluefin pay');
		await first.getByRole('option', { name: /Bluefin Payroll/ }).click();
		await expect(first.getByRole('link', { name: /Bluefin Payroll/ })).toBeVisible();
		await first.getByLabel('What they do').fill('Payroll');
		await page.getByRole('button', { name: 'Add fourth party' }).click();
		const second = page.getByRole('group', { name: 'Fourth party 2' });
		await second.getByRole('combobox', { name: 'Fourth party' }).fill('Tiny Print Shop');
		await second.getByLabel('What they do').fill('Printing');
		// What the link handles for this vendor, and where.
		await second.getByLabel('Personal data', { exact: true }).check();
		await second.getByLabel('Where').fill('Ireland, Germany');
		await page.getByRole('textbox', { name: 'Tags' }).fill('legal, eu-only');
		await page.getByRole('textbox', { name: 'Tags' }).press('Enter');

		await page.getByRole('button', { name: 'Add vendor' }).click();
		const duplicates = page.getByTestId('duplicates');
		await expect(duplicates).toContainText('A similar vendor is already in the register');
		await expect(duplicates.getByRole('link', { name: 'Amberfall Legal Partners' })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Create anyway' })).toBeFocused();
		await screenshot(page, 'vendors-duplicate');
		await page.getByRole('button', { name: 'Create anyway' }).click();

		await expect(page).toHaveURL(/\/vendors\/(?!new$)[^/]+$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('amberfall legal partners ltd');
		await expect(page.getByRole('status').filter({ hasText: 'was added to the register' })).toBeVisible();
		const fourth = page.getByRole('region', { name: 'Fourth parties' });
		await expect(fourth.getByRole('link', { name: 'Bluefin Payroll' })).toBeVisible();
		await expect(fourth).toContainText('Tiny Print Shop');
		await expect(fourth.getByRole('listitem').filter({ hasText: 'Tiny Print Shop' })).toContainText('Personal data · in Ireland, Germany');
		await expect(page.getByRole('region', { name: 'Contacts' })).toContainText('dana.reyes@amberfall.example');
		await expect(page.getByRole('region', { name: 'Tags' })).toContainText('eu-only');

		// Its activity shows the creation with its values.
		await page.getByRole('tab', { name: 'Activity' }).click();
		await expect(page).toHaveURL(/tab=activity/);
		await expect(page.getByRole('tabpanel')).toContainText('Added vendor');
		await expect(page.getByRole('tabpanel')).toContainText('risk@example.com');
	});
});

test.describe('the vendor page', () => {
	test('tabs live in the URL; archiving asks first and can be undone', async ({ page, request }) => {
		const name = unique('Quokka Analytics');
		const v = await createVendor(request, {
			name,
			website: `https://${slug(name)}.example`,
			department: 'Research',
			contacts: [{ name: 'Ida Berg', email: 'ida@quokka.example', role: 'Account manager', phone: '+46 8 123' }],
			subprocessors: [{ name: 'Cloud Host AB', purpose: 'Hosting' }],
			tags: ['pilot']
		});
		await signInApi(page, DEMO.risk.email);
		await page.goto(`/vendors/${v.id}?tab=contracts`);
		await expect(page.getByRole('tab', { name: 'Contracts' })).toHaveAttribute('aria-selected', 'true');
		await expect(page.getByRole('tabpanel')).toContainText('No contracts');
		await expect(page.getByRole('tabpanel').getByRole('link', { name: 'Add contract' })).toHaveAttribute('href', `/contracts/new?vendor_id=${v.id}`);

		// Keyboard: arrows move between tabs and the URL follows.
		await page.getByRole('tab', { name: 'Contracts' }).focus();
		await page.keyboard.press('ArrowRight');
		await expect(page.getByRole('tab', { name: 'Documents' })).toBeFocused();
		await page.keyboard.press('ArrowRight');
		await expect(page.getByRole('tab', { name: 'Findings' })).toBeFocused();
		await page.keyboard.press('ArrowRight');
		await expect(page.getByRole('tab', { name: 'Incidents' })).toBeFocused();
		await page.keyboard.press('ArrowRight');
		await expect(page.getByRole('tab', { name: 'Activity' })).toBeFocused();
		await expect(page).toHaveURL(/tab=activity/);
		await page.keyboard.press('Home');
		await expect(page).toHaveURL(`/vendors/${v.id}`);
		await expect(page.getByRole('region', { name: 'Contacts' })).toContainText('Ida Berg');
		await screenshot(page, 'vendors-detail');

		await page.getByRole('button', { name: 'Archive' }).click();
		const dialog = page.getByRole('dialog', { name: `Archive “${name}”?` });
		await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
		await dialog.getByRole('button', { name: 'Archive vendor' }).click();
		await expect(dialog).toBeHidden();
		await expect(page.getByTestId('archived-banner')).toContainText('This vendor is archived');
		await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);

		// Archived vendors leave the list and appear under "Archived only".
		await page.goto(`/vendors?q=${encodeURIComponent(name)}`);
		await expect(page.getByText('No vendors match these filters.')).toBeVisible();
		await page.getByLabel('Archived only').check();
		await expect(page).toHaveURL(/archived=true/);
		await page.getByRole('link', { name }).click();
		await page.getByRole('button', { name: 'Restore' }).click();
		await page.getByRole('dialog').getByRole('button', { name: 'Restore vendor' }).click();
		await expect(page.getByTestId('archived-banner')).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Edit' })).toBeVisible();

		await page.getByRole('tab', { name: 'Activity' }).click();
		const activity = page.getByRole('tabpanel');
		await expect(activity).toContainText('Restored vendor');
		await expect(activity).toContainText('Archived vendor');
	});

	test('two people editing one vendor: the second sees the clash and keeps what they typed', async ({
		page,
		browser,
		request,
		baseURL,
		consoleGuard
	}) => {
		consoleGuard.allow(httpError(409, '/api/v1/vendors/'));
		const name = unique('Wombat Mail');
		const v = await createVendor(request, {
			name,
			website: `https://${slug(name)}.example`,
			department: 'Marketing',
			criticality: 'medium'
		});

		// Alex (admin) and Riley (risk manager) open the same version.
		await signInApi(page, DEMO.risk.email);
		const other = await browser.newContext({ baseURL });
		const alex = await other.newPage();
		await signInApi(alex, DEMO.admin.email);
		await Promise.all([page.goto(`/vendors/${v.id}/edit`), alex.goto(`/vendors/${v.id}/edit`)]);
		await expect(page.getByLabel('Department')).toHaveValue('Marketing');
		await expect(alex.getByLabel('Department')).toHaveValue('Marketing');

		// Alex saves first.
		await alex.getByLabel('Department').fill('Growth');
		await alex.getByLabel('Description').fill('Newsletter tool');
		await alex.getByRole('button', { name: 'Save changes' }).click();
		await expect(alex).toHaveURL(`/vendors/${v.id}`);
		await expect(alex.getByRole('status').filter({ hasText: 'Changes saved' })).toBeVisible();
		await other.close();

		// Riley saves from the old version.
		await page.getByLabel('Department').fill('Brand');
		await page.getByLabel('Business criticality').selectOption('high');
		await page.getByRole('button', { name: 'Save changes' }).click();
		const conflict = page.getByTestId('conflict');
		await expect(conflict).toContainText('Someone else changed this vendor');
		await expect(conflict.getByRole('row', { name: /Department/ })).toContainText('Growth');
		await expect(conflict.getByRole('row', { name: /Department/ })).toContainText('Brand');
		await expect(conflict).toContainText('Their changes to description are now in the form too.');
		await expect(page.getByLabel('Department')).toHaveValue('Brand');
		await expect(page.getByLabel('Business criticality')).toHaveValue('high');
		await expect(page.getByLabel('Description')).toHaveValue('Newsletter tool');
		await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();
		await screenshot(page, 'vendors-conflict');

		await conflict.getByRole('button', { name: 'Keep mine and save again' }).click();
		await expect(page).toHaveURL(`/vendors/${v.id}`);
		const ownership = page.getByRole('region', { name: 'Ownership' });
		await expect(ownership).toContainText('Brand');
		await expect(ownership).toContainText('High');
		await expect(page.locator('.description')).toHaveText('Newsletter tool');
	});
});

test.describe('importing vendors', () => {
	test('a bad row blocks the import; fixed, it imports; the same file again changes nothing', async ({
		page,
		consoleGuard
	}) => {
		consoleGuard.allow(httpError(422, '/api/v1/vendors/import'));
		const a = unique('Heron Freight');
		const b = unique('Ibis Payroll');
		const header = 'name,category,website,annual_spend,currency,criticality,tags,colour';
		const good = `"${a}",saas,https://${slug(a)}.example,"12,000",EUR,high,logistics,blue`;
		const bad = `"${b}",spaceship,https://${slug(b)}.example,abc,EUR,low,,green`;
		const fixed = `"${b}",Professional services,https://${slug(b)}.example,4500,EUR,low,,green`;
		const file = (rows: string[]) => ({
			name: 'vendors.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from([header, ...rows].join('\n') + '\n')
		});

		await signInApi(page, DEMO.risk.email);
		const before = await vendorCount(page);
		await page.goto('/vendors');
		await page.getByRole('link', { name: 'Import' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import vendors');

		await page.getByLabel('CSV or XLSX file').setInputFiles(file([good, bad]));
		await page.getByRole('button', { name: 'Check file' }).click();
		const report = page.getByTestId('import-report');
		await expect(report).toContainText('1 row needs fixing');
		await expect(page.getByRole('heading', { name: '2. What would happen' })).toBeFocused();
		await expect(page.getByTestId('ignored-columns')).toContainText('colour');
		// Errors are shown first (and alone, to begin with).
		const rows = report.locator('tbody tr');
		await expect(rows).toHaveCount(1);
		await expect(rows.first()).toContainText(b);
		await expect(rows.first()).toContainText('category');
		await expect(rows.first()).toContainText('annual_spend');
		await report.getByText('All rows').click();
		await expect(rows).toHaveCount(2);
		await expect(rows.nth(0)).toContainText('Error');
		await expect(rows.nth(1)).toContainText('New');
		await screenshot(page, 'vendors-import-report');

		// Importing anyway saves nothing.
		await page.getByRole('button', { name: 'Import 2 rows' }).click();
		await expect(page.getByTestId('import-refused')).toContainText('no row was saved');
		await expect(rows.first()).toContainText(b);
		expect(await vendorCount(page)).toBe(before);

		// Fixed: both rows import.
		await page.getByRole('button', { name: 'Choose another file' }).click();
		await page.getByLabel('CSV or XLSX file').setInputFiles(file([good, fixed]));
		await page.getByRole('button', { name: 'Check file' }).click();
		await expect(report.locator('tbody tr')).toHaveCount(2);
		await expect(report).not.toContainText('needs fixing');
		await page.getByRole('button', { name: 'Import 2 rows' }).click();
		await expect(page.getByTestId('import-done')).toContainText('2 new');
		await expect(report.getByRole('link', { name: a })).toBeVisible();
		expect(await vendorCount(page)).toBe(before + 2);

		// The same file again: every row unchanged, nothing to import.
		await page.getByRole('button', { name: 'Import another file' }).click();
		await page.getByLabel('CSV or XLSX file').setInputFiles(file([good, fixed]));
		await page.getByRole('button', { name: 'Check file' }).click();
		await expect(page.getByTestId('import-nothing')).toContainText('Every row already matches');
		await expect(report.locator('tbody tr')).toHaveCount(2);
		for (const text of await report.locator('tbody tr td:nth-child(3)').allInnerTexts()) {
			expect(text.trim()).toBe('Unchanged');
		}
		await expect(page.getByRole('button', { name: 'Import 0 rows' })).toBeDisabled();
		expect(await vendorCount(page)).toBe(before + 2);
	});

	test('shows upload progress and then a processing state', async ({ page }) => {
		await signInApi(page, DEMO.risk.email);
		await page.goto('/vendors/import');
		// About 300 KB sent at 150 KB/s: the progress bar has time to move.
		const rows = Array.from({ length: 1500 }, (_, i) => `Slow Co ${i},saas,${'x'.repeat(180)}`);
		await page.getByLabel('CSV or XLSX file').setInputFiles({
			name: 'big.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(['name,category,description', ...rows].join('\n'))
		});
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.emulateNetworkConditions', {
			offline: false,
			latency: 0,
			downloadThroughput: -1,
			uploadThroughput: 150 * 1024
		});
		// Record every state the bar goes through (the processing state may be brief).
		await page.evaluate(() => {
			const seen = ((window as unknown as { seen: string[] }).seen = [] as string[]);
			new MutationObserver(() => {
				const bar = document.querySelector('[role="progressbar"]');
				if (bar) seen.push(`${bar.getAttribute('aria-label')}|${bar.getAttribute('aria-valuenow') ?? ''}`);
			}).observe(document.body, { subtree: true, childList: true, attributes: true });
		});
		await page.getByRole('button', { name: 'Check file' }).click();
		const bar = page.getByRole('progressbar', { name: 'Uploading big.csv' });
		await expect(bar).toBeVisible();
		await expect(page.getByTestId('import-report')).toContainText('1,500', { timeout: 20_000 });
		const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
		const uploading = seen.filter((s) => s.startsWith('Uploading')).map((s) => Number(s.split('|')[1]));
		expect(uploading.some((v) => v > 0 && v < 100), `progress values: ${uploading.join(', ')}`).toBe(true);
		expect(seen.some((s) => s.startsWith('Processing big.csv'))).toBe(true);
		await expect(page.getByRole('progressbar')).toHaveCount(0);
		await cdp.detach();
	});
});

test.describe('accessibility', () => {
	test('the vendor pages pass WCAG 2.1 AA checks', async ({ page, consoleGuard }) => {
		// Twelve axe scans over eight pages: on a busy CI machine this took just over 30 s.
		test.setTimeout(90_000);
		consoleGuard.allow(httpError(422, '/api/v1/vendors/import'));
		await signInApi(page, DEMO.risk.email);
		await page.goto('/vendors');
		await expect(page.getByRole('table', { name: 'Vendors' }).locator('tbody tr').first()).toBeVisible();
		await expectAccessible(page, '/vendors');
		await page.getByRole('button', { name: 'Status Any status' }).click();
		await expectAccessible(page, '/vendors with the status filter open');
		await page.keyboard.press('Escape');

		await page.goto('/vendors/new');
		await page.getByRole('button', { name: 'Add contact' }).click();
		await page.getByRole('button', { name: 'Add fourth party' }).click();
		await page.getByRole('button', { name: 'Add vendor' }).click();
		await expect(page.getByText('Enter the vendor’s name.')).toBeVisible();
		await expectAccessible(page, 'new vendor with errors');

		await page.getByRole('group', { name: 'Fourth party 1' }).getByRole('combobox').fill('north');
		await expect(page.getByRole('listbox', { name: 'Matching vendors' }).getByRole('option').first()).toBeVisible();
		await expectAccessible(page, 'fourth-party search open');

		await page.goto('/vendors?q=Bluefin%20Payroll');
		await page.getByRole('link', { name: 'Bluefin Payroll' }).click();
		await expect(page.getByRole('tab', { name: 'Overview' })).toBeVisible();
		await expectAccessible(page, 'vendor overview');
		await page.getByRole('tab', { name: 'Risk' }).click();
		await expectAccessible(page, 'vendor risk tab');
		await page.getByRole('tab', { name: 'Activity' }).click();
		await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
		await expectAccessible(page, 'vendor activity');
		await page.getByRole('button', { name: 'Archive' }).click();
		await expectAccessible(page, 'archive dialog');
		await page.keyboard.press('Escape');
		await page.getByRole('link', { name: 'Edit' }).click();
		await expect(page.getByLabel('Department')).toBeVisible();
		await expectAccessible(page, 'edit vendor');

		await page.goto('/vendors/import');
		await expectAccessible(page, 'import');
		await page.getByLabel('CSV or XLSX file').setInputFiles({
			name: 'v.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from('name,category,oops\nBad Row Co,nope,1\n')
		});
		await page.getByRole('button', { name: 'Check file' }).click();
		await expect(page.getByTestId('import-report')).toBeVisible();
		await expectAccessible(page, 'import report');
	});
});

test.describe('the vendor list at 1280 px', () => {
	test('fits without sideways scrolling and shows when each vendor is next reviewed', async ({ page }) => {
		await page.setViewportSize({ width: 1280, height: 800 });
		await signInApi(page, DEMO.risk.email);
		await page.goto('/vendors');
		const table = page.getByRole('table', { name: 'Vendors' });
		await expect(table.locator('tbody tr').first()).toBeVisible();
		await expect(table.getByRole('columnheader', { name: /Next review/ })).toBeVisible();

		const widths = await table.evaluate((el) => ({
			page: document.scrollingElement!.scrollWidth,
			table: el.scrollWidth,
			box: el.parentElement!.clientWidth,
			boxScroll: el.parentElement!.scrollWidth
		}));
		expect(widths.page, 'page width').toBeLessThanOrEqual(1280);
		expect(widths.boxScroll, 'table overflowing its box').toBeLessThanOrEqual(widths.box);
		await screenshot(page, 'vendor-list-1280');

		// Sortable on the stored date: the soonest review first once undated vendors are past.
		await table.getByRole('button', { name: /Next review/ }).click();
		await expect(page).toHaveURL(/sort=next_review_on/);
		const res = await page.request.get('/api/v1/vendors?sort=next_review_on&limit=200');
		const items = ((await res.json()) as { items: { next_review_on: string }[] }).items.map((v) => v.next_review_on);
		expect(items).toEqual([...items].sort());
		const dated = items.filter(Boolean);
		if (dated.length > 0) await expect(table.locator('tbody time[datetime]').first()).toBeVisible();
	});
});
