import { DEMO, expect, expectAccessible, signInApi, test } from './fixtures';
import { sentAssessment, vendorContext } from './portal-helpers';

test('revoking the portal link: the open portal and a fresh visit both say the link no longer works', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	test.setTimeout(60_000);
	const { id, path } = await sentAssessment(request, 9);

	const vendor = await vendorContext(browser, baseURL!);
	// The token in the address never travels on as a Referer, not even to Rampart's own files.
	const referers: string[] = [];
	vendor.page.on('request', (r) => {
		const ref = r.headers()['referer'];
		if (ref) referers.push(`${r.url()} <- ${ref}`);
	});
	const doc = await vendor.page.goto(path);
	expect(doc?.headers()['referrer-policy']).toBe('no-referrer');
	const metas = await vendor.page.locator('meta[name="referrer"]').evaluateAll((els) => els.map((e) => e.getAttribute('content')));
	expect(metas.length).toBeGreaterThan(0);
	expect(new Set(metas)).toEqual(new Set(['no-referrer']));
	await expect(vendor.page.getByRole('heading', { level: 1 })).toHaveText('Rampart Lite');
	await expect(vendor.page.title()).resolves.not.toContain('rpt_');

	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${id}`);
	await expect(page.getByTestId('link-state')).toContainText('Works until');
	// Revoking asks first; keeping it changes nothing.
	await page.getByRole('button', { name: 'Revoke link' }).click();
	const dialog = page.getByRole('dialog', { name: 'Revoke the portal link?' });
	await dialog.getByRole('button', { name: 'Keep it' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByTestId('link-state')).toContainText('Works until');
	await page.getByRole('button', { name: 'Revoke link' }).click();
	await dialog.getByRole('button', { name: 'Revoke link' }).click();
	await expect(page.getByText('The portal link no longer works.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Send a new link' })).toBeVisible();
	// The page says the link is revoked and no longer offers to revoke it, also after a reload.
	await expect(page.getByTestId('link-state')).toContainText('Revoked');
	await expect(page.getByRole('button', { name: 'Revoke link' })).toHaveCount(0);
	await page.reload();
	await expect(page.getByTestId('link-state')).toContainText('Revoked');
	await expect(page.getByRole('button', { name: 'Revoke link' })).toHaveCount(0);

	// The vendor's page is still open: the next save meets the revoked link.
	// (A click, not check(): the page is gone before the box could be seen checked.)
	await vendor.page.locator('[data-key="GOV-01"]').getByLabel('Yes').click();
	const gone = vendor.page.getByTestId('portal-not-found');
	await expect(gone).toBeVisible();
	await expect(gone.getByRole('heading', { level: 1 })).toHaveText('This link does not work');
	await expect(gone).toContainText('withdrawn');
	await expect(vendor.page.getByTestId('question')).toHaveCount(0);

	// A fresh visit says the same, and nothing about the assessment.
	await vendor.page.reload();
	await expect(gone).toBeVisible();
	await expect(vendor.page.getByText('Rampart Lite')).toHaveCount(0);
	await expectAccessible(vendor.page, 'the revoked portal link');
	expect(vendor.external, 'requests outside the portal API').toEqual([]);
	expect(referers, 'requests that carried a Referer').toEqual([]);
	expect(vendor.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
	await vendor.context.close();
});
