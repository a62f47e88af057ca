import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';
import { answerAll, sentAssessment, submitAnswers, vendorContext } from './portal-helpers';

test('a SOC 2 report the vendor uploads scores only once the reviewer files it in the library and accepts it', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	test.setTimeout(90_000);
	const { id, path } = await sentAssessment(request, 13);

	// The vendor says it has a SOC 2 Type II report, uploads it with the rest, and submits.
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(path);
	await vendor.page.locator('[data-key="GOV-04"]').getByLabel('SOC 2 Type II').check();
	await expect(vendor.page.locator('[data-key="GOV-05"]')).toBeVisible();
	await answerAll(vendor.page);
	await submitAnswers(vendor.page);
	await expect(vendor.page.getByTestId('portal-submitted')).toBeVisible();
	await vendor.context.close();

	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${id}`);
	const item = page.locator('[data-testid="review-item"][data-key="GOV-05"]');
	const score = item.locator('dt:text-is("Score") + dd');
	// The file alone is worth nothing.
	await expect(item.getByTestId('answer-evidence')).toContainText('Not linked');
	await expect(score).toHaveText(/^0 · weight/);

	// Filed into the library as a SOC 2 Type II report: linked, awaiting its review.
	const link = item.getByTestId('evidence-link');
	await link.getByLabel('Add evidence.pdf to the library as').selectOption('soc2_type2');
	await link.getByRole('button', { name: 'Add to library' }).click();
	const row = item.getByTestId('answer-evidence');
	await expect(row).toContainText('Received');
	await expect(row).toContainText('counts once the document is accepted and in date');
	await expect(link.getByRole('button', { name: 'Unlink from the library' })).toBeVisible();
	await screenshot(page, 'answer-evidence-linked');
	await expectAccessible(page, 'a file answer linked to the library');

	// The reviewer accepts it in the vendor's Documents tab; the answer now scores 100.
	await row.getByRole('link').click();
	await expect(page).toHaveURL(/\/vendors\/[^/]+\?tab=documents/);
	const doc = page.getByTestId('vendor-evidence').getByTestId('evidence-row').filter({ hasText: 'SOC 2 Type II' });
	await doc.getByRole('button', { name: 'Accept' }).click();
	await expect(doc).toContainText('Accepted');
	await page.goto(`/assessments/${id}`);
	await expect(row).toContainText('Accepted');
	await expect(row).not.toContainText('counts once');
	await expect(score).toHaveText(/^100 · weight/);
});
