import { DEMO, expect, httpError, signInApi, test } from './fixtures';

// The per-tier choice of what happens as a vendor's review comes due travels in the model:
// the preview checks it on the server, which names a bad lead time beside its field. Nothing
// is published, so the specs that follow still find version 1 in force.
test('an admin sets a tier to start its reassessments by itself, with a lead time the server checks', async ({ page, consoleGuard }) => {
	consoleGuard.allow(httpError(422, '/api/v1/settings/risk-model/preview'));
	await signInApi(page, DEMO.admin.email);
	await page.goto('/settings/risk-model');
	await expect(page.getByText('Version 1 in force')).toBeVisible();

	const choice = page.getByLabel('Tier 4: when a review comes due');
	await expect(choice).toHaveValue('remind');
	await choice.selectOption('start');
	const lead = page.getByLabel('Tier 4 days before the review date');
	await expect(lead).toHaveValue('30');

	let sent: { tiers: { reassessment?: string; lead_days?: number }[] } | null = null;
	page.on('request', (r) => {
		if (r.url().endsWith('/api/v1/settings/risk-model/preview')) sent = r.postDataJSON();
	});
	await lead.fill('400');
	await lead.dispatchEvent('change');
	await page.getByRole('button', { name: 'Preview changes' }).click();
	await expect(page.getByText('must be 0-180 days', { exact: true })).toBeVisible();
	await expect(lead).toHaveAttribute('aria-invalid', 'true');

	await lead.fill('45');
	await lead.dispatchEvent('change');
	await page.getByRole('button', { name: 'Preview changes' }).click();
	await expect(page.getByTestId('model-preview')).toBeVisible();
	expect(sent!.tiers[3]).toMatchObject({ reassessment: 'start', lead_days: 45 });
	expect(sent!.tiers[0]!.reassessment, 'an untouched tier keeps the default').toBeUndefined();
});
