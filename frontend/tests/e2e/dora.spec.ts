import { readFileSync } from 'node:fs';
import { apiAs, DEMO, expect, expectAccessible, httpError, screenshot, test } from './fixtures';

type Report = { valid: boolean; issues: { template: string; field: string; record: { id: string } }[] };

test('DORA register: the report names a missing field, the contract page fixes it, and the register downloads', async ({ page }) => {
	const { csrf } = await apiAs(page.request, DEMO.risk.email);
	const before = (await (await page.request.get('/api/v1/dora/validation')).json()) as Report;
	// One of the demo's ICT arrangements loses its exit plan.
	const contracts = (await (await page.request.get('/api/v1/contracts?limit=200')).json()) as {
		items: { id: string; title: string; version: number; dora?: { dora_in_scope: boolean; dora_exit_plan: string } }[];
	};
	const target = contracts.items.find((c) => c.dora?.dora_in_scope && c.dora.dora_exit_plan === 'eba_BT:x28');
	expect(target, 'a demo contract in the register with an exit plan').toBeDefined();
	const res = await page.request.patch(`/api/v1/contracts/${target!.id}/dora`, {
		data: { version: target!.version, dora_exit_plan: '' },
		headers: { 'X-CSRF-Token': csrf }
	});
	expect(res.status()).toBe(200);

	await page.goto('/vendors');
	await page.getByRole('link', { name: 'DORA register' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('DORA register');
	await expect(page.getByTestId('template-B_07.01')).toContainText('B_07.01');
	const issue = page.getByTestId('issue').filter({ hasText: 'Existence of an exit plan' });
	await expect(issue).toHaveCount(1);
	await expect(issue).toContainText('is required');
	await expect(page.getByRole('link', { name: 'Download draft with issues' })).toBeVisible();
	await screenshot(page, 'dora-register');
	await expectAccessible(page, 'the DORA register page');

	// The issue's link opens the contract at its DORA section, unfolded.
	await issue.getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`/contracts/${target!.id}#dora$`));
	const section = page.locator('#dora');
	await expect(section.getByLabel('Exit plan exists')).toBeVisible();
	await section.getByLabel('Exit plan exists').selectOption('eba_BT:x28');
	await section.getByRole('button', { name: 'Save DORA fields' }).click();
	await expect(section.getByRole('status')).toHaveText('Saved');
	await screenshot(page, 'dora-contract-section');

	await page.goto('/vendors/dora');
	await expect(page.getByTestId('issue').filter({ hasText: 'Existence of an exit plan' })).toHaveCount(0);
	const after = (await (await page.request.get('/api/v1/dora/validation')).json()) as Report;
	expect(after.issues.length).toBe(before.issues.length);

	// The register downloads as the xBRL-CSV report package, named as the portals expect (refused with the
	// report while it has issues, unless forced; a forced draft carries the report beside the package).
	const button = after.valid
		? page.getByRole('link', { name: 'Download report package' })
		: page.getByRole('link', { name: 'Download draft with issues' });
	const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
	expect(download.suggestedFilename()).toMatch(/^[A-Z0-9]{20}\.CON_DE_DORA010100_DORA_\d{4}-12-31_\d{17}\.zip$/);
	const root = download.suggestedFilename().replace(/\.zip$/, '');
	const zip = readFileSync((await download.path())!);
	expect(zip.subarray(0, 2).toString()).toBe('PK');
	for (const name of ['META-INF/reportPackage.json', 'reports/report.json', 'reports/parameters.csv', 'reports/FilingIndicators.csv', 'reports/b_01.03.csv', 'reports/b_05.01.csv']) {
		expect(zip.includes(Buffer.from(`${root}/${name}`)), name).toBe(true);
	}
	expect(zip.includes(Buffer.from('validation-report.json'))).toBe(!after.valid);
});

test('DORA settings: our entity, with the LEI checked, and its branches', async ({ page, consoleGuard }) => {
	consoleGuard.allow(httpError(422, '/api/v1/settings/dora'));
	// The LEI is checked; the branches are kept for B_01.03, each country checked.
	await apiAs(page.request, DEMO.admin.email);
	await page.goto('/settings');
	await page.getByRole('link', { name: /DORA register/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('DORA register');
	const lei = page.getByLabel('LEI', { exact: true });
	const good = await lei.inputValue();
	expect(good).toHaveLength(20);
	await lei.fill(good.slice(0, 18) + (good.endsWith('0') ? '11' : '00'));
	await page.getByRole('button', { name: 'Save entity' }).click();
	await expect(page.getByText('check digits')).toBeVisible();
	await lei.fill(good);
	await page.getByRole('button', { name: 'Save entity' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

	// The demo bank's branches (B_01.03): a new one with a country that is not one is refused beside the field.
	const branches = page.getByTestId('branch');
	await expect(branches).toHaveCount(2);
	await expect(branches.nth(0).getByLabel('Country')).toHaveValue('LU');
	await page.getByRole('button', { name: 'Add branch' }).click();
	const third = page.getByRole('group', { name: 'Branch 3' });
	await third.getByLabel('Identification code').fill('RDB-BE-001');
	await third.getByLabel('Name').fill('Brussels Branch');
	await third.getByLabel('Country').fill('XX');
	await page.getByRole('button', { name: 'Save branches' }).click();
	await expect(third.getByText('ISO 3166-1 alpha-2')).toBeVisible();
	await third.getByLabel('Country').fill('be');
	await page.getByRole('button', { name: 'Save branches' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved' }).last()).toBeVisible();
	await page.reload();
	await expect(branches).toHaveCount(3);
	await expect(page.getByRole('group', { name: 'Branch 3' }).getByLabel('Country')).toHaveValue('BE');
	await screenshot(page, 'dora-settings');
	await page.getByRole('button', { name: 'Remove branch 3' }).click();
	await page.getByRole('button', { name: 'Save branches' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
	await expect(branches).toHaveCount(2);
	await expectAccessible(page, 'the DORA settings page');
});
