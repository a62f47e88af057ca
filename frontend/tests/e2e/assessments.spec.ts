import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';
import { answerAll, arrange, submitAnswers, vendorContext } from './portal-helpers';

test('a risk manager sends Rampart Lite, the vendor answers it in the portal, the reviewer raises a finding and completes the review', async ({
	page,
	browser,
	baseURL,
	request,
	consoleGuard
}) => {
	test.setTimeout(90_000);
	consoleGuard.allow(/status of 422/);
	const { vendorName } = await arrange(request, 7);

	// Riley creates the assessment.
	await signInApi(page, DEMO.risk.email);
	await page.goto('/assessments');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Assessments');
	await expectAccessible(page, 'the assessment list');
	await page.getByRole('link', { name: 'New assessment' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('New assessment');
	await page.getByRole('combobox', { name: 'Vendor', exact: true }).fill(vendorName);
	await page.getByRole('option').filter({ hasText: vendorName }).first().click();
	// The questionnaire defaults to the one the vendor's tier calls for; Rampart Lite is chosen here.
	const questionnaire = page.getByRole('combobox', { name: 'Questionnaire' });
	await expect(questionnaire.locator('option').first()).toContainText('chosen by the vendor’s tier');
	const lite = await questionnaire.locator('option', { hasText: 'Rampart Lite (revision' }).getAttribute('value');
	await questionnaire.selectOption(lite!);
	await page.getByLabel('Vendor contact email').fill('security@vendor.example');
	await page.getByLabel('Vendor contact name').fill('Sam Vendor');
	await expectAccessible(page, 'the new assessment form');
	await page.getByRole('button', { name: 'Create assessment' }).click();
	await expect(page).toHaveURL(/\/assessments\/[^/]+$/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(`Rampart Lite — ${vendorName}`);
	const assessmentUrl = page.url();

	// Sending shows the link once.
	await page.getByRole('button', { name: 'Send to vendor' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Send questionnaire' }).click();
	// Sending writes the link, the invitation and the audit event: slow on a busy machine.
	await expect(page.getByTestId('portal-link')).toContainText('will not be shown again', { timeout: 15_000 });
	const link = await page.getByTestId('portal-url').inputValue();
	expect(link).toMatch(/\/portal\/rpt_/);

	// The vendor answers in a context with no cookies.
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(new URL(link).pathname);
	await expect(vendor.page.getByRole('heading', { level: 1 })).toHaveText('Rampart Lite');
	await answerAll(vendor.page);
	await expect(vendor.page.getByRole('button', { name: 'Submit answers' })).toBeEnabled();
	await submitAnswers(vendor.page);
	await expect(vendor.page.getByTestId('portal-submitted')).toBeVisible();
	expect(vendor.external).toEqual([]);
	expect(vendor.problems).toEqual([]);
	await vendor.context.close();

	// Riley reviews: one answer is a finding.
	await page.goto(assessmentUrl);
	await expect(page.getByRole('heading', { name: 'Review the answers' })).toBeVisible();
	const item = page.locator('[data-testid="review-item"][data-key="IAM-01"]');
	await expect(item.getByTestId('answer')).not.toHaveText('—');
	// The finding's title names the problem and can be edited before it is raised.
	await item.getByRole('button', { name: 'Finding', exact: true }).click();
	const findingTitle = item.getByRole('textbox', { name: 'Finding title' });
	await expect(findingTitle).toHaveValue(/^IAM-01: answered .+ — /);
	await item.getByRole('textbox', { name: 'Description (kept with the finding)' }).fill('MFA is optional for staff.');
	await item.getByRole('button', { name: 'Raise finding' }).click();
	await expect(item.getByTestId('review-mark')).toHaveText('Finding');
	await page.locator('[data-testid="review-item"][data-key="GOV-01"]').getByRole('button', { name: 'Accept' }).click();
	await expect(page.locator('[data-testid="review-item"][data-key="GOV-01"]').getByTestId('review-mark')).toHaveText('Accepted');
	await screenshot(page, 'assessment-review');
	await expectAccessible(page, 'the assessment review');

	await page.getByRole('button', { name: 'Complete review' }).click();
	await expect(page.getByText('The review is complete')).toBeVisible();
	await expect(page.getByText('Completed', { exact: true }).first()).toBeVisible();
	await expect(page.getByTestId('effectiveness-overall')).toHaveText(/^\d+(\.\d)?$/);
	const sections = page.getByTestId('effectiveness-sections').locator('tbody tr');
	expect(await sections.count()).toBeGreaterThan(5);
	await expect(sections.filter({ hasText: 'Access control' }).or(sections.filter({ hasText: 'Identity' })).first()).toBeVisible();
	await screenshot(page, 'assessment-completed');

	// The finding is in the findings list.
	await page.goto('/findings');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Findings');
	const row = page.getByRole('row').filter({ hasText: vendorName }).filter({ hasText: 'IAM-01' });
	await expect(row).toBeVisible();
	await screenshot(page, 'findings');
	await expectAccessible(page, 'the findings list');
});
