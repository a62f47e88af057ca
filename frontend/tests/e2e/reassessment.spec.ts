import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';
import { answerAll, submitAnswers, vendorContext } from './portal-helpers';

test('reassessing a vendor: the portal prefills last time’s answers to confirm or change, and the reviewer sees what changed', async ({
	page,
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	await signInApi(page, DEMO.risk.email);

	// A completed Rampart Lite assessment from the demo data, found with the list's filters.
	await page.goto('/assessments?status=completed&template=rampart-lite');
	await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('completed');
	await expect(page.getByRole('combobox', { name: 'Questionnaire' })).toHaveValue('rampart-lite');
	const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Rampart Lite' }) }).first();
	await expect(row).toBeVisible();
	const vendorName = (await row.getByRole('link').nth(1).innerText()).trim();
	await row.getByRole('link', { name: 'Rampart Lite' }).click();
	await expect(page).toHaveURL(/\/assessments\/[^/?]+$/);
	const previousUrl = page.url();

	// "Reassess this vendor" starts a new assessment from it.
	await page.getByRole('link', { name: 'Reassess this vendor' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('New assessment');
	await expect(page.getByRole('combobox', { name: 'Vendor', exact: true })).toHaveValue(vendorName);
	const from = page.getByRole('combobox', { name: 'Reassess from' });
	await expect(from).not.toHaveValue('');
	const questionnaire = page.getByRole('combobox', { name: 'Questionnaire' });
	await questionnaire.selectOption(
		(await questionnaire.locator('option', { hasText: 'Rampart Lite (revision' }).getAttribute('value'))!
	);
	await expect(page.getByLabel('Vendor contact email')).not.toHaveValue('');
	await page.getByRole('button', { name: 'Create assessment' }).click();
	await expect(page.getByRole('link', { name: 'the previous assessment' })).toHaveAttribute('href', new URL(previousUrl).pathname);
	const assessmentUrl = page.url();
	await page.getByRole('button', { name: 'Send to vendor' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Send questionnaire' }).click();
	const link = await page.getByTestId('portal-url').inputValue();

	// The vendor sees last time's answers, each to confirm or change.
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(new URL(link).pathname);
	const carried = vendor.page.getByText('Carried over from your last assessment.');
	await expect(carried.first()).toBeVisible();
	const before = await carried.count();
	expect(before).toBeGreaterThan(10);
	await screenshot(vendor.page, 'portal-reassessment-phone');

	// Submitting before confirming lists what still needs a confirmation.
	await vendor.page.getByRole('button', { name: 'Submit answers' }).click();
	await expect(vendor.page.getByTestId('portal-missing')).toContainText('an answer or a confirmation');

	// Change IAM-01 to a different answer than last time; confirm every other one.
	const iam01 = vendor.page.locator('[data-testid="question"][data-key="IAM-01"]');
	const radios = iam01.getByRole('radio');
	const checkedBefore = await radios.evaluateAll((els) => els.findIndex((e) => (e as HTMLInputElement).checked));
	const other = checkedBefore === 1 ? 2 : 1;
	const newLabel = (await iam01.locator('label.choice').nth(other).innerText()).trim();
	await radios.nth(other).check();
	await expect(iam01.getByTestId('save-status')).toHaveText('Saved');
	await expect(iam01.getByText('Carried over from your last assessment.')).toHaveCount(0);
	for (let guard = 0; guard < 200; guard++) {
		const confirm = vendor.page.getByRole('button', { name: 'Confirm' });
		if ((await confirm.count()) === 0) break;
		const n = await confirm.count();
		await confirm.first().click();
		await expect(confirm).toHaveCount(n - 1);
	}
	await answerAll(vendor.page);
	await submitAnswers(vendor.page);
	await expect(vendor.page.getByTestId('portal-submitted')).toBeVisible();
	expect(vendor.external, 'requests outside the portal API').toEqual([]);
	expect(vendor.problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
	await vendor.context.close();

	// The reviewer sees how many answers changed, can show only those, and sees last time's answer.
	await page.goto(assessmentUrl);
	const summary = page.getByTestId('changes-summary');
	await expect(summary).toContainText(/Reassessment: 1 of \d+ answers carried over from the previous assessment changed\./);
	await page.getByTestId('review-filter').selectOption('changed');
	const items = page.getByTestId('review-item');
	await expect(items).toHaveCount(1);
	await expect(items.first()).toHaveAttribute('data-key', 'IAM-01');
	await expect(items.first().getByText('Changed', { exact: true })).toBeVisible();
	await expect(items.first().getByTestId('answer')).toHaveText(newLabel);
	await expect(items.first().getByText('Last time')).toBeVisible();
	await screenshot(page, 'assessment-reassessment-changes');
	await expectAccessible(page, 'the reassessment review');
});
