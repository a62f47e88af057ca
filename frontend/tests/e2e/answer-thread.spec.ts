import { DEMO, expect, expectAccessible, signInApi, test } from './fixtures';
import { answerAndSubmitApi, sentAssessment, tinyPdf, vendorContext } from './portal-helpers';

test('the reviewer asks in words on an answer, the vendor replies in the portal with a message and a file, the reviewer sees both', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	test.setTimeout(90_000);
	const { id, path } = await sentAssessment(request, 14);

	await answerAndSubmitApi(request, path);

	// The reviewer asks a follow-up in words, beside the answer, without sending it back.
	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${id}`);
	const item = page.locator('[data-testid="review-item"][data-key="IAM-01"]');
	await item.getByTestId('thread-toggle').click();
	await item.getByLabel('Message').fill('Which accounts are excluded from MFA?');
	await item.getByRole('button', { name: 'Send' }).click();
	await expect(item.getByTestId('thread-message')).toHaveCount(1);
	await expect(item.getByTestId('thread-badge')).toHaveText('1 message');

	// The vendor reads it under the question, after submitting, and replies in words and with a file.
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(path);
	await expect(vendor.page.getByTestId('portal-submitted')).toBeVisible();
	const thread = vendor.page.locator('[data-testid="portal-thread"][data-thread-key="IAM-01"]');
	await expect(thread.getByTestId('thread-message')).toHaveCount(1);
	await expect(thread.getByTestId('thread-body')).toHaveText('Which accounts are excluded from MFA?');
	const reply = 'Only the <b>break-glass</b> account, which is sealed.\nPolicy attached.';
	await thread.getByLabel('Message').fill(reply);
	await thread.getByLabel('Attach a file').setInputFiles({ name: 'break-glass.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
	await thread.getByRole('button', { name: 'Send' }).click();
	await expect(thread.getByTestId('thread-message')).toHaveCount(2);
	await expect(thread.getByRole('link', { name: 'break-glass.pdf' })).toBeVisible();
	await expectAccessible(vendor.page, 'the portal with a conversation');
	// Kept: a reload shows the conversation again, the words as written (markup as text).
	await vendor.page.reload();
	await expect(thread.getByTestId('thread-body').nth(1)).toHaveText(reply);
	await expect(thread.locator('b')).toHaveCount(0);
	expect(vendor.external, 'requests outside the portal API').toEqual([]);
	expect(vendor.problems).toEqual([]);
	await vendor.context.close();

	// The reviewer sees a new message on the question, both messages, and downloads the file.
	await page.reload();
	await expect(item.getByTestId('thread-badge')).toHaveText('1 new / 2 messages');
	await page.getByTestId('review-filter').selectOption('comments');
	await expect(item).toBeVisible();
	await item.getByTestId('thread-toggle').click();
	const messages = item.getByTestId('thread-message');
	await expect(messages).toHaveCount(2);
	await expect(messages.nth(1)).toHaveAttribute('data-author', 'vendor');
	await expect(messages.nth(1).getByTestId('thread-body')).toHaveText(reply);
	await expect(item.locator('b')).toHaveCount(0);
	await expect(item.getByTestId('thread-badge')).toHaveText('2 messages');
	const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('link', { name: 'break-glass.pdf' }).click()]);
	expect(download.suggestedFilename()).toBe('break-glass.pdf');
	await expectAccessible(page, 'the review with a conversation');
	// Read stays read.
	await page.reload();
	await expect(item.getByTestId('thread-badge')).toHaveText('2 messages');
});
