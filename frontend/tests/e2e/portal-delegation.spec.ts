// Sharing sections in the vendor portal: the main contact shares two sections with a colleague,
// the colleague opens the link mailed to them (read from the demo outbox) and sees and answers
// only those, the main contact sees who answered and submits.
import type { APIRequestContext } from '@playwright/test';
import { apiAs, DEMO, expect, screenshot, signInApi, test } from './fixtures';
import { answerAll, sentAssessment, submitAnswers, vendorContext } from './portal-helpers';

/** The portal path in the newest invitation mailed to `to`, as the demo outbox holds it. */
async function mailedLink(request: APIRequestContext, to: string): Promise<string> {
	await apiAs(request, DEMO.admin.email);
	let found: { id: string } | undefined;
	await expect
		.poll(async () => {
			const list = (await (await request.get('/api/v1/mail?limit=50')).json()) as {
				items: { id: string; to_email: string; kind: string }[];
			};
			found = list.items.find((m) => m.to_email === to && m.kind === 'vendor.invitation');
			return !!found;
		})
		.toBe(true);
	const detail = (await (await request.get(`/api/v1/mail/${found!.id}`)).json()) as { text_body: string };
	return detail.text_body.match(/\/portal\/rpt_[\w-]+/)![0];
}

test('the main contact shares sections, the colleague answers them, the main contact sees who and submits', async ({
	browser,
	baseURL,
	request,
	page
}) => {
	test.setTimeout(90_000);
	const { id, path } = await sentAssessment(request, 8);
	const colleague = `jane.${Date.now().toString(36)}@vendor.example`;

	const main = await vendorContext(browser, baseURL!);
	await main.page.goto(path);
	const share = main.page.getByTestId('portal-share');
	await expect(share).toBeVisible();
	await share.getByRole('button', { name: 'Choose sections and a colleague' }).click();
	await share.getByLabel('Name').fill('Jane Doe');
	await share.getByLabel('Email').fill(colleague);
	await share.getByRole('checkbox', { name: 'Encryption', exact: true }).check();
	await share.getByRole('checkbox', { name: 'Physical security', exact: true }).check();
	await share.getByLabel('Message (optional)').fill('Could you take these? Thanks!');
	await share.getByRole('button', { name: 'Share sections' }).click();
	await expect(share.getByRole('status')).toContainText(`Jane Doe (${colleague}) was sent a link to Encryption and Physical security`);
	await expect(share.getByTestId('portal-delegations')).toContainText('Jane Doe');
	await expect(share.getByTestId('portal-delegations')).toContainText('not opened yet');
	await share.screenshot({ path: 'test-results/portal-share-sections.png' });

	// The colleague's own link, from the mail.
	const link = await mailedLink(request, colleague);
	const jane = await vendorContext(browser, baseURL!);
	await jane.page.goto(link);
	const banner = jane.page.getByTestId('portal-delegated');
	await expect(banner).toContainText('Sam Vendor asked you to answer Encryption and Physical security');
	await expect(banner).toContainText('Could you take these? Thanks!');
	await expect(jane.page.getByRole('heading', { level: 2, name: 'Encryption', exact: true })).toBeVisible();
	await expect(jane.page.getByRole('heading', { level: 2, name: 'Governance', exact: true })).toHaveCount(0);
	await expect(jane.page.getByTestId('question')).toHaveCount(4);
	await expect(jane.page.getByRole('button', { name: 'Submit answers' })).toHaveCount(0);
	await expect(jane.page.getByTestId('portal-share')).toHaveCount(0);
	await answerAll(jane.page);
	await expect(jane.page.getByTestId('portal-progress')).toContainText('4 of 4 questions answered');
	await expect(jane.page.locator('[data-answered-key="ENC-01"]')).toHaveText(`Answered by Jane Doe (${colleague})`);
	await screenshot(jane.page, 'portal-delegated-link');
	expect(jane.problems).toEqual([]);
	expect(jane.external).toEqual([]);
	await jane.context.close();

	// The main contact sees Jane's answers as hers, the rest as theirs, and submits.
	await main.page.reload();
	await expect(main.page.locator('[data-answered-key="ENC-01"]')).toHaveText(`Answered by Jane Doe (${colleague})`);
	await expect(main.page.getByTestId('portal-delegations')).toContainText('4 answers saved');
	await answerAll(main.page);
	await expect(main.page.locator('[data-answered-key="GOV-01"]')).toHaveText('Answered by Sam Vendor (security@vendor.example)');
	await submitAnswers(main.page);
	await expect(main.page.getByTestId('portal-submitted')).toBeVisible();
	expect(main.problems).toEqual([]);
	await main.context.close();

	// The reviewer sees the shared link and who answered.
	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${id}`);
	const shared = page.getByTestId('assessment-delegations');
	await expect(shared).toContainText(`Jane Doe <${colleague}>: Encryption, Physical security`);
	await expect(shared).toContainText('4 answers saved');
	await expect(page.getByTestId('answer-by').first()).toBeVisible();
	await shared.screenshot({ path: 'test-results/assessment-delegations.png' });
});
