import { DEMO, expect, expectAccessible, signInApi, test } from './fixtures';
import { answerAndSubmitApi, sentAssessment, submitAnswers, tinyPdf, vendorContext } from './portal-helpers';

test('a vendor answers a follow-up with words and a file, and the reviewer sees both', async ({ page, browser, baseURL, request }) => {
	test.setTimeout(90_000);
	const { id, path } = await sentAssessment(request, 12);

	await answerAndSubmitApi(request, path);

	// The reviewer asks, in words, about a choice question.
	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${id}`);
	const item = page.locator('[data-testid="review-item"][data-key="IAM-01"]');
	await item.getByRole('button', { name: 'Follow-up' }).click();
	await item.getByLabel('Comment to the vendor').fill('Which accounts are excluded? Please send the access policy.');
	await item.getByRole('button', { name: 'Ask for follow-up' }).click();
	await expect(item.getByTestId('review-mark')).toHaveText('Follow-up');
	await page.getByRole('button', { name: 'Send 1 follow-up to vendor' }).click();
	await expect(page.getByText('The follow-up questions were sent back to the vendor.')).toBeVisible();

	// The vendor replies in words and attaches the policy, without changing the choice.
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(path);
	const iam01 = vendor.page.locator('[data-testid="question"][data-key="IAM-01"]');
	await expect(iam01.getByTestId('follow-up')).toContainText('Which accounts are excluded?');
	const reply = iam01.getByLabel('Your reply to the reviewer');
	await reply.fill('Only the break-glass account, which is sealed. Policy attached.');
	await expect(iam01.getByTestId('save-status')).toHaveText('Saved');
	await iam01.getByLabel(/Attach a file/).setInputFiles({ name: 'access-policy.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
	await expect(iam01.getByRole('link', { name: 'access-policy.pdf' })).toBeVisible();
	await expectAccessible(vendor.page, 'the portal with a follow-up reply');
	// Both were saved: a reload shows them again.
	await vendor.page.reload();
	await expect(reply).toHaveValue('Only the break-glass account, which is sealed. Policy attached.');
	await expect(iam01.getByRole('link', { name: 'access-policy.pdf' })).toBeVisible();
	await submitAnswers(vendor.page);
	await expect(vendor.page.getByTestId('portal-submitted')).toBeVisible();
	// Submitted: the reply can no longer be changed.
	await expect(vendor.page.getByLabel('Your reply to the reviewer')).toHaveCount(0);
	expect(vendor.external, 'requests outside the portal API').toEqual([]);
	expect(vendor.problems).toEqual([]);
	await vendor.context.close();

	// The reviewer sees the vendor's words and downloads the file.
	await page.reload();
	await expect(item).toContainText('Only the break-glass account, which is sealed. Policy attached.');
	const file = item.getByRole('link', { name: 'access-policy.pdf' });
	const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
	expect(download.suggestedFilename()).toBe('access-policy.pdf');
});
