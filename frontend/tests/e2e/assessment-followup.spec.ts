import { DEMO, expect, expectAccessible, signInApi, test } from './fixtures';
import { answerAndSubmitApi, sentAssessment, submitAnswers, vendorContext } from './portal-helpers';

test('a follow-up goes back to the vendor for one question only, and the reviewer sees the new answer', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	test.setTimeout(90_000);
	const { id, path } = await sentAssessment(request, 8);

	// The vendor answers everything and submits (through the API: portal.spec.ts answers through the page).
	await answerAndSubmitApi(request, path);

	// The reviewer asks for a follow-up on IAM-01 and sends it.
	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${id}`);
	const item = page.locator('[data-testid="review-item"][data-key="IAM-01"]');
	await expect(item.getByTestId('answer')).toHaveText('Yes, for all users');
	await item.getByRole('button', { name: 'Follow-up' }).click();
	await item.getByLabel('Comment to the vendor').fill('Does this include service accounts and break-glass accounts?');
	await item.getByRole('button', { name: 'Ask for follow-up' }).click();
	await expect(item.getByTestId('review-mark')).toHaveText('Follow-up');
	await page.getByRole('button', { name: 'Send 1 follow-up to vendor' }).click();
	await expect(page.getByText('The follow-up questions were sent back to the vendor.')).toBeVisible();
	await expect(page.getByText('In progress', { exact: true }).first()).toBeVisible();

	// The portal reopens only IAM-01, with the reviewer's comment.
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(path);
	await expect(vendor.page.getByRole('heading', { level: 1 })).toHaveText('Rampart Lite');
	await expect(vendor.page.getByTestId('portal-submitted')).toHaveCount(0);
	const iam01 = vendor.page.locator('[data-testid="question"][data-key="IAM-01"]');
	await expect(iam01.getByTestId('follow-up')).toContainText('Does this include service accounts and break-glass accounts?');
	await expect(iam01.getByRole('radio').first()).toBeEnabled();
	// Only the reopened question is shown at first, linked from a note at the top.
	const note = vendor.page.getByTestId('portal-follow-ups');
	await expect(note).toContainText('One question needs your follow-up');
	await expect(note.getByRole('link', { name: 'IAM-01' })).toHaveAttribute('href', '#q-IAM-01');
	await expect(vendor.page.getByTestId('question')).toHaveCount(1);
	await vendor.page.screenshot({ path: 'test-results/portal-follow-up-phone.png' });
	const sideways = await vendor.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(sideways, 'the portal scrolls sideways on a phone').toBeLessThanOrEqual(0);
	// The rest can be shown, locked.
	await note.getByLabel('Show only these questions').uncheck();
	await expect(vendor.page.locator('[data-key="GOV-01"] input[type=radio]').first()).toBeDisabled();
	await expect(vendor.page.locator('[data-key="ENC-01"] input[type=radio]').first()).toBeDisabled();
	await expect(vendor.page.getByTestId('follow-up')).toHaveCount(1);
	await expectAccessible(vendor.page, 'the portal with a follow-up');

	await iam01.getByLabel('For administrators and privileged accounts only').check();
	await expect(iam01.getByTestId('save-status')).toHaveText('Saved');
	await submitAnswers(vendor.page);
	await expect(vendor.page.getByTestId('portal-submitted')).toBeVisible();
	expect(vendor.external, 'requests outside the portal API').toEqual([]);
	expect(vendor.problems).toEqual([]);
	await vendor.context.close();

	// The reviewer sees the new answer, and the follow-up mark is cleared for a fresh review.
	await page.reload();
	await expect(item.getByTestId('answer')).toHaveText('For administrators and privileged accounts only');
	await expect(item.getByTestId('review-mark')).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Review the answers' })).toBeVisible();
	// What the vendor said before the follow-up stays beside the new answer.
	await expect(item.getByTestId('before-follow-up')).toContainText('Yes, for all users');

	// Filters: the follow-up reply counts as changed; the rest is accepted in one step.
	const filter = page.getByTestId('review-filter');
	await filter.selectOption('changed');
	await expect(page.getByTestId('review-item')).toHaveCount(1);
	await expect(page.getByTestId('review-item').first()).toHaveAttribute('data-key', 'IAM-01');
	await filter.selectOption('weak');
	await expect(page.getByTestId('review-item').first()).toBeVisible();
	await filter.selectOption('all');
	const acceptRest = page.getByRole('button', { name: /^Accept \d+ unmarked answers$/ });
	const n = Number((await acceptRest.textContent())!.match(/\d+/)![0]);
	expect(n).toBeGreaterThan(5);
	await acceptRest.click();
	await page.getByRole('dialog').getByRole('button', { name: 'Accept them' }).click();
	await expect(page.getByText(`Accepted ${n} answers.`)).toBeVisible();
	await filter.selectOption('unmarked');
	await expect(page.getByTestId('review-filter-empty')).toBeVisible();
	await expect(acceptRest).toHaveCount(0);
	await filter.selectOption('all');
	await expect(item.getByTestId('review-mark')).toHaveText('Accepted');
	await page.screenshot({ path: 'test-results/review-filters.png', fullPage: false });
	await expectAccessible(page, 'the review with filters');
});
