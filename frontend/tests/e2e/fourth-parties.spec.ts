import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';

test('fourth-party concentration: the subprocessors many vendors share come first, with the data exposed through them', async ({ page }) => {
	await signInApi(page, DEMO.auditor.email);
	await page.goto('/vendors');
	await page.getByRole('link', { name: 'Fourth parties' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Fourth parties');
	const table = page.getByRole('table', { name: 'Fourth parties' });
	const rows = table.locator('tbody tr');
	await expect(rows.first()).toBeVisible();
	const counts = async () => (await rows.getByTestId('dependents').allInnerTexts()).map(Number);
	const all = await counts();
	expect(all, 'most depended on first').toEqual([...all].sort((a, b) => b - a));
	const top = all[0] ?? 0;
	expect(top).toBeGreaterThan(4);
	await expect(rows.first()).toContainText(`and ${top - 4} more`);
	// The demo's card processor is named as text by several vendors: one fourth party, not in the register.
	const gridlock = rows.filter({ hasText: 'Gridlock Payments' });
	await expect(gridlock).toHaveCount(1);
	await expect(gridlock).toContainText('Not in the register');
	await expect(gridlock).toContainText('Payment card data');
	// Where each link says the provider handles its data.
	await expect(gridlock.getByTestId('locations')).toHaveText('in Netherlands, United States');
	// The demo's shared host, the register's most depended-on provider, where its links say.
	await expect(rows.filter({ hasNotText: 'Not in the register' }).first().getByTestId('locations')).toHaveText('in Germany, Ireland');

	// Narrowed on the server to those several vendors depend on.
	await page.getByLabel('Depended on by').selectOption('2');
	await expect(page).toHaveURL(/min_dependents=2/);
	await expect.poll(async () => (await counts()).every((n) => n >= 2) && (await counts()).length < all.length).toBe(true);
	await screenshot(page, 'fourth-parties');
	await expectAccessible(page, 'the fourth-party concentration page');

	// A fourth party in the register opens its own vendor record.
	const linked = rows.filter({ hasNotText: 'Not in the register' }).first();
	const name = await linked.getByRole('link').first().innerText();
	await linked.getByRole('link').first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
});

test('supply chain: a vendor page shows the subprocessors of its subprocessors, rank by rank', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	// The demo's vendors name others of the register, which name their own hosts.
	const vendors = (await (await page.request.get('/api/v1/vendors?limit=200')).json()) as { items: { id: string; name: string }[] };
	let withChain: { id: string; name: string } | undefined;
	for (const v of vendors.items) {
		const chain = (await (await page.request.get(`/api/v1/vendors/${v.id}/supply-chain`)).json()) as { links: { rank: number }[] };
		if (chain.links.some((l) => l.rank >= 3)) {
			withChain = v;
			break;
		}
	}
	expect(withChain, 'a demo vendor with a rank-3 fourth party').toBeDefined();
	await page.goto(`/vendors/${withChain!.id}`);
	const chain = page.getByTestId('supply-chain');
	await expect(chain).toContainText('Further down the chain');
	await expect(chain).toContainText('Rank 3');
	await expect(chain).toContainText('via ');
	await expectAccessible(page, 'a vendor page with its supply chain');
});
