import { DEMO, expect, expectAccessible, httpError, signInApi, test } from './fixtures';

test('a risk manager overrides a tier with a reason until a date: the explanation, the history and the list show it; Clear returns the computed tier', async ({
	page,
	consoleGuard
}) => {
	await signInApi(page, DEMO.risk.email);
	const list = await (await page.request.get('/api/v1/vendors', { params: { limit: 5, sort: 'name' } })).json();
	const vendor = (list.items as { id: string; name: string; computed_tier: number }[])[0]!;
	const computed = vendor.computed_tier;
	consoleGuard.allow(httpError(422, `/api/v1/vendors/${vendor.id}/tier-override`));
	const to = computed === 1 ? 2 : 1;
	const until = new Date(Date.now() + 60 * 86400_000).toISOString().slice(0, 10);
	const reason = 'Hosts the payroll export during the migration';

	await page.goto(`/vendors/${vendor.id}?tab=risk`);
	const box = page.getByTestId('tier-override');
	await expect(page.getByTestId('tier-explanation')).toHaveText(`Tier ${computed} as computed by the risk model.`);
	await box.getByRole('button', { name: 'Override tier' }).click();
	// Each field is checked by the server, its message beside it.
	await box.getByRole('button', { name: 'Save override' }).click();
	await expect(box.getByText('is required').first()).toBeVisible();
	await box.getByRole('combobox', { name: 'Tier' }).selectOption(String(to));
	await box.getByLabel('Until').fill(until);
	await box.getByLabel('Reason').fill(reason);
	await box.getByRole('button', { name: 'Save override' }).click();

	await expect(page.getByTestId('tier-explanation')).toHaveText(`Tier set to ${to} by ${DEMO.risk.name} until ${until}: ${reason} (computed: ${computed})`);
	const history = page.getByTestId('risk-history').locator(':scope > li');
	await expect(history.first()).toContainText('Tier overridden');
	await expectAccessible(page, 'the risk tab with an override');

	// The list filters by the effective tier and keeps the computed one beside it.
	await page.goto(`/vendors?tier=${to}&q=${encodeURIComponent(vendor.name)}`);
	const row = page.getByRole('row').filter({ hasText: vendor.name });
	await expect(row).toContainText(`(computed ${computed})`);

	await page.goto(`/vendors/${vendor.id}?tab=risk`);
	await box.getByRole('button', { name: 'Clear override' }).click();
	await expect(page.getByTestId('tier-explanation')).toHaveText(`Tier ${computed} as computed by the risk model.`);
	await expect(history.first()).toContainText('Tier override cleared');
	await page.goto(`/vendors?tier=${to}&q=${encodeURIComponent(vendor.name)}`);
	await expect(page.getByRole('row').filter({ hasText: vendor.name })).toHaveCount(0);
});
