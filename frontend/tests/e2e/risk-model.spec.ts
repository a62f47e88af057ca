import { DEMO, expect, expectAccessible, httpError, screenshot, signInApi, test } from './fixtures';

interface Summary {
	id: string;
	name: string;
	tier: number;
	inherent_score: number;
}

test('an admin edits a tier threshold, sees the what-if preview and publishes; a vendor changes tier', async ({ page, consoleGuard }) => {
	consoleGuard.allow(httpError(422, '/api/v1/settings/risk-model/preview'));
	consoleGuard.allow(httpError(409, '/api/v1/settings/risk-model'));
	await signInApi(page, DEMO.admin.email);
	const original = (await (await page.request.get('/api/v1/settings/risk-model')).json()).model;
	const vendors = (await (await page.request.get('/api/v1/vendors', { params: { limit: 200 } })).json()).items as Summary[];
	// Tier 1 from 41 instead of 60: every tier 2 vendor scoring 41 or more moves up.
	const movers = vendors.filter((v) => v.tier === 2 && v.inherent_score >= 41);
	expect(movers.length, 'demo vendors that the change moves').toBeGreaterThan(0);

	await page.goto('/settings');
	await page.getByRole('link', { name: /Risk model/ }).click();
	await expect(page).toHaveURL(/\/settings\/risk-model$/);
	await expect(page.getByText('Version 1 in force')).toBeVisible();
	await expect(page.getByRole('group', { name: 'Access to our systems' })).toContainText('read-only');
	await screenshot(page, 'risk-model-editor');
	await expectAccessible(page, 'the risk model editor');

	// A threshold out of order is refused and named beside its field.
	const tier2 = page.getByLabel('Tier 2 minimum score');
	await tier2.fill('70');
	await page.getByRole('button', { name: 'Preview changes' }).click();
	// Said beside the field, and in words in the banner's first line (never "Unprocessable Entity").
	await expect(page.getByText("must be lower than tier 1's (60)", { exact: true })).toBeVisible();
	const banner = page.locator('.banner[role="alert"]');
	await expect(banner).toContainText("Tiers 2 min score must be lower than tier 1's (60)");
	await expect(banner).not.toContainText('Unprocessable');
	await expect(tier2).toHaveAttribute('aria-invalid', 'true');
	await screenshot(page, 'risk-model-invalid');
	await tier2.fill('40');

	await page.getByLabel('Tier 1 minimum score').fill('41');
	await page.getByRole('button', { name: 'Preview changes' }).click();
	const preview = page.getByTestId('model-preview');
	await expect(page.getByTestId('preview-count')).toHaveText(String(movers.length));
	// Each row: the score and tier now, then under the draft (the threshold moves the tier, not the score).
	const row = preview.getByRole('row').filter({ hasText: movers[0]!.name });
	await expect(row.getByRole('cell')).toHaveText([
		String(movers[0]!.inherent_score),
		String(movers[0]!.inherent_score),
		`Tier ${movers[0]!.tier}`,
		/Tier 1/
	]);
	await screenshot(page, 'risk-model-preview');

	// Publishing asks why; the dialog stays open until the note is given.
	await page.getByRole('button', { name: 'Publish…' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByRole('button', { name: 'Publish and rescore' }).click();
	await expect(dialog.getByText('Say what changed and why; the version history shows it.')).toBeVisible();
	await dialog.getByLabel('Change note').fill('Tier 1 from 41: the board wants more vendors reviewed yearly.');
	await dialog.getByRole('button', { name: 'Publish and rescore' }).click();
	await expect(page.getByText(/Version 2 is in force; \d+ vendors were rescored\./)).toBeVisible();
	await expect(page.getByText('Version 2 in force')).toBeVisible();
	const history = page.getByTestId('model-versions');
	await expect(history.locator('li').first()).toContainText('Version 2');
	await expect(history.locator('li').first()).toContainText('Tier 1 from 41: the board wants more vendors reviewed yearly.');
	await expect(history.locator('li').first()).toContainText(DEMO.admin.name);
	await expect(history.locator('li').nth(1)).toContainText('Version 1');

	// The vendor's tier changed, and its history says why.
	await page.goto(`/vendors/${movers[0]!.id}?tab=risk`);
	await expect(page.getByTestId('risk-tier')).toContainText('Tier 1');
	await expect(page.getByTestId('risk-history').locator(':scope > li').first()).toContainText('Risk model changed');

	// Put the default back for the specs that run after this one.
	const me = await (await page.request.get('/api/v1/auth/me')).json();
	// Publishing needs the version in force: an edit of version 1 is refused now.
	const headers = { 'X-CSRF-Token': me.csrf_token };
	const note = { change_note: 'Back to the default for the next specs.' };
	expect((await page.request.post('/api/v1/settings/risk-model', { data: { ...original, ...note }, headers })).status()).toBe(409);
	const res = await page.request.post('/api/v1/settings/risk-model', { data: { ...original, ...note, version: 2 }, headers });
	expect(res.status()).toBe(200);
});

test('a risk manager reads the model but cannot change it', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	await page.goto('/settings/risk-model');
	await expect(page.getByText('Only administrators can change the model.')).toBeVisible();
	await expect(page.getByLabel('Tier 1 minimum score')).toBeDisabled();
	await expect(page.getByRole('button', { name: 'Preview changes' })).toHaveCount(0);
});

test('publishing over a newer model is refused and the editor offers the model in force', async ({ page, consoleGuard }) => {
	consoleGuard.allow(httpError(409, '/api/v1/settings/risk-model'));
	await signInApi(page, DEMO.admin.email);
	await page.goto('/settings/risk-model');
	const { version, model } = await (await page.request.get('/api/v1/settings/risk-model')).json();
	await expect(page.getByText(`Version ${version} in force`)).toBeVisible();

	// Another admin publishes while this page is open.
	const me = await (await page.request.get('/api/v1/auth/me')).json();
	const other = await page.request.post('/api/v1/settings/risk-model', {
		data: { ...model, change_note: 'Republished by another admin' },
		headers: { 'X-CSRF-Token': me.csrf_token }
	});
	expect(other.status()).toBe(200);

	await page.getByLabel('Tier 4 review months').fill('30');
	await page.getByRole('button', { name: 'Publish…' }).click();
	await page.getByRole('dialog').getByLabel('Change note').fill('Longer cadence for tier 4');
	await page.getByRole('dialog').getByRole('button', { name: 'Publish and rescore' }).click();
	await expect(page.getByText('Another administrator published a newer model while you were editing.')).toBeVisible();
	await page.getByRole('button', { name: 'Load the model in force' }).click();
	await expect(page.getByText(`Version ${version + 1} in force`)).toBeVisible();
	await expect(page.getByLabel('Tier 4 review months')).toHaveValue('36');
	const after = await (await page.request.get('/api/v1/settings/risk-model')).json();
	expect(after.version).toBe(version + 1);
	expect(after.model.tiers[3].review_months).toBe(36);
});
