// Question text with the safe HTML subset renders as markup, in the portal and on the review
// page, and anything outside it never reaches the page; keys as catalogues publish them
// ("A&A-01.1", "IAM 01/2") work in every URL the browser builds.
import type { Locator, Page } from '@playwright/test';
import { apiAs, DEMO, expect, expectAccessible, signInApi, test, unique } from './fixtures';
import { submitAnswers, vendorContext } from './portal-helpers';

const HOSTILE =
	'Is <i>italic</i> kept?<br>Read <a href="https://example.test/guide">the guide</a>.' +
	'<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 1">' +
	'<a href="javascript:window.__pwned = 1">click</a><iframe src="https://example.test"></iframe>';

const yesNo = [
	{ value: 'yes', label: 'Yes', score: 100 },
	{ value: 'no', label: 'No', score: 0 }
];

async function expectSafe(page: Page, where: Locator): Promise<void> {
	await expect(where.locator('i')).toHaveText('italic');
	await expect(where.locator('br')).toHaveCount(1);
	const guide = where.getByRole('link', { name: 'the guide' });
	await expect(guide).toHaveAttribute('href', 'https://example.test/guide');
	await expect(guide).toHaveAttribute('target', '_blank');
	await expect(guide).toHaveAttribute('rel', 'noopener noreferrer nofollow');
	await expect(where.locator('script, img, iframe, [onerror], [href^="javascript"]')).toHaveCount(0);
	expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
	await expect(page.locator('img[onerror], iframe')).toHaveCount(0);
}

test('question text renders the safe subset only, and keys with any characters work', async ({ page, browser, baseURL, request }) => {
	test.setTimeout(90_000);
	const { csrf, user } = await apiAs(request, DEMO.risk.email);
	const headers = { 'X-CSRF-Token': csrf };
	const created = await request.post('/api/v1/questionnaire-templates', {
		headers,
		data: {
			name: unique('Rich text'),
			sections: [
				{
					key: 'main',
					title: 'Main',
					questions: [
						{ key: 'A&A-01.1', text: HOSTILE, help: 'Answer <b>yes</b> only if <em>all</em> hold.', type: 'yes_no_na', required: true, weight: 5, choices: yesNo, expected: ['yes'] },
						{ key: 'IAM 01/2', text: 'Which a < b holds?\nSay so.', type: 'long_text', weight: 1 }
					]
				}
			]
		}
	});
	expect(created.status(), await created.text()).toBe(201);
	const tpl = (await created.json()) as { id: string; problems: unknown[] };
	expect(tpl.problems).toEqual([]);
	const published = await request.post(`/api/v1/questionnaire-templates/${tpl.id}/publish`, { headers, data: { version: 1 } });
	expect(published.status(), await published.text()).toBe(200);
	const vendors = await (await request.get('/api/v1/vendors', { params: { limit: 20, sort: 'name' } })).json();
	const assessment = await request.post('/api/v1/assessments', {
		headers,
		data: { vendor_id: vendors.items[5].id, template_id: tpl.id, reviewer_id: user.id, contact_email: 'sec@vendor.example' }
	});
	expect(assessment.status(), await assessment.text()).toBe(201);
	const a = (await assessment.json()) as { id: string; version: number };
	const sent = await request.post(`/api/v1/assessments/${a.id}/send`, { headers, data: { version: a.version } });
	expect(sent.status(), await sent.text()).toBe(200);
	const portalPath = new URL(((await sent.json()) as { portal_url: string }).portal_url).pathname;

	// The vendor sees italic, a line break and a safe link; nothing else ran or loaded.
	const vendor = await vendorContext(browser, baseURL!);
	await vendor.page.goto(portalPath);
	const rich = vendor.page.locator('[data-testid="question"][data-key="A&A-01.1"]');
	await expect(rich).toBeVisible();
	await expectSafe(vendor.page, rich.locator('legend'));
	await expect(rich.locator('.help b')).toHaveText('yes');
	await rich.screenshot({ path: 'test-results/richtext-portal-question.png' });
	const plain = vendor.page.locator('[data-testid="question"][data-key="IAM 01/2"]');
	await expect(plain.locator('legend')).toContainText('Which a < b holds?');
	await expect(plain.getByRole('textbox', { name: 'Which a < b holds? Say so.' })).toBeVisible();

	// Answers save through URLs with the keys percent-encoded.
	await rich.getByLabel('Yes').check();
	await expect(rich.getByTestId('save-status')).toHaveText('Saved');
	await plain.getByRole('textbox').fill('Both, always.');
	await expect(plain.getByTestId('save-status')).toHaveText('Saved');
	await expectAccessible(vendor.page, 'the portal with rich question text');
	await submitAnswers(vendor.page);
	await expect(vendor.page.getByTestId('portal-submitted')).toBeVisible();
	expect(vendor.problems, 'console errors in the portal (a blocked script or image would show here)').toEqual([]);
	expect(vendor.external, 'requests outside the portal API').toEqual([]);
	await vendor.context.close();

	// The reviewer sees the same safe rendering and marks both answers.
	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${a.id}`);
	const item = page.locator('[data-testid="review-item"][data-key="A&A-01.1"]');
	await expectSafe(page, item.locator('header'));
	await expect(item.getByTestId('answer')).toHaveText('Yes');
	await item.getByRole('button', { name: 'Accept' }).click();
	await expect(item.getByTestId('review-mark')).toHaveText('Accepted');
	const other = page.locator('[data-testid="review-item"][data-key="IAM 01/2"]');
	await expect(other.getByTestId('answer')).toHaveText('Both, always.');
	await other.getByRole('button', { name: 'Accept' }).click();
	await expect(other.getByTestId('review-mark')).toHaveText('Accepted');
	await page.reload();
	await expect(item.getByTestId('review-mark')).toHaveText('Accepted');
	await expect(other.getByTestId('review-mark')).toHaveText('Accepted');
	expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
