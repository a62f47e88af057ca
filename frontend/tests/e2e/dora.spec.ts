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
	await expect(page.getByRole('link', { name: 'Download with issues' })).toBeVisible();
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

	// The register downloads as a ZIP (refused with the report while it has issues, unless forced).
	const button = after.valid ? page.getByRole('link', { name: 'Download register' }) : page.getByRole('link', { name: 'Download with issues' });
	const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
	expect(download.suggestedFilename()).toMatch(/^dora-register-\d{4}-\d{2}-\d{2}\.zip$/);
	const zip = readFileSync((await download.path())!);
	expect(zip.subarray(0, 2).toString()).toBe('PK');
	expect(zip.includes(Buffer.from('b_05.01.csv'))).toBe(true);
	expect(zip.includes(Buffer.from('validation-report.json'))).toBe(true);
});

test('DORA settings: our entity, with the LEI checked', async ({ page, consoleGuard }) => {
	consoleGuard.allow(httpError(422, '/api/v1/settings/dora'));
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
	await screenshot(page, 'dora-settings');
	await expectAccessible(page, 'the DORA settings page');
});
