import { DEMO, expect, expectAccessible, screenshot, test } from './fixtures';
import { answerAll, sentAssessment, submitAnswers, tinyPdf, vendorContext } from './portal-helpers';

test.describe('the vendor portal', () => {
	test('an unknown or expired link shows a friendly page, not an error', async ({ page, consoleGuard }) => {
		consoleGuard.allow(/status of 404 .*\/api\/v1\/portal\//);
		const seen: string[] = [];
		page.on('request', (r) => seen.push(new URL(r.url()).pathname));
		await page.goto('/portal/rpt_' + 'A'.repeat(43));
		await expect(page.getByTestId('portal-not-found')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not work');
		expect(seen.filter((p) => p.startsWith('/api/') && !p.startsWith('/api/v1/portal/'))).toEqual([]);
		await expectAccessible(page, 'the portal 404 page');
	});

	test('a vendor takes back a file uploaded by mistake before submitting', async ({ browser, baseURL, request }) => {
		const { path } = await sentAssessment(request, 6);
		const { context, page, problems } = await vendorContext(browser, baseURL!);
		await page.goto(path);
		await page.locator('[data-key="GOV-04"]').getByLabel('SOC 2 Type II').check();
		const question = page.locator('[data-key="GOV-05"]');
		await question.getByTestId('upload').setInputFiles({ name: 'wrong-report.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
		await expect(question.getByRole('link', { name: 'wrong-report.pdf' })).toBeVisible();
		await question.getByRole('button', { name: 'Remove wrong-report.pdf' }).click();
		await expect(question.getByRole('link', { name: 'wrong-report.pdf' })).toHaveCount(0);
		// Removed on the server too, not only on the page.
		await page.reload();
		await expect(page.getByTestId('question').first()).toBeVisible();
		await expect(page.getByRole('link', { name: 'wrong-report.pdf' })).toHaveCount(0);
		expect(problems).toEqual([]);
		await context.close();
	});

	test('a vendor answers on a phone with autosave, sees the missing list, submits, and the answers lock', async ({
		browser,
		baseURL,
		request
	}) => {
		test.setTimeout(60_000);
		const { path, vendorName } = await sentAssessment(request, 5);
		const { context, page, problems, external } = await vendorContext(browser, baseURL!);
		expect(await context.cookies()).toEqual([]);
		await page.goto(path);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rampart Lite');
		await expect(page.getByText(`For ${vendorName}`)).toBeVisible();
		await expect(page.getByTestId('portal-progress')).toContainText('0 of');

		// Submitting too early lists what is missing, linked to the questions.
		await page.getByRole('button', { name: 'Submit answers' }).click();
		const missing = page.getByTestId('portal-missing');
		await expect(missing).toBeVisible();
		await expect(missing.getByRole('link', { name: 'GOV-01' })).toHaveAttribute('href', '#q-GOV-01');

		// A conditional question appears only for the answers that need it.
		const gov05 = page.locator('[data-key="GOV-05"]');
		await expect(gov05).toHaveCount(0);
		await page.locator('[data-key="GOV-04"]').getByLabel('SOC 2 Type II').check();
		await expect(gov05).toBeVisible();
		await expect(page.locator('[data-key="GOV-04"]').getByTestId('save-status')).toHaveText('Saved');

		await answerAll(page);
		await expect(page.getByTestId('portal-progress')).toContainText(/(\d+) of \1 questions answered/);
		await expect(page.getByRole('button', { name: 'Submit answers' })).toBeEnabled();
		await screenshot(page, 'portal-phone');
		await expectAccessible(page, 'the portal');

		// Submitting asks first, and says what is left empty (here nothing).
		await page.getByRole('button', { name: 'Submit answers' }).click();
		const confirm = page.getByRole('dialog', { name: 'Submit your answers?' });
		await expect(confirm.getByTestId('submit-summary')).toHaveText('Every question is answered.');
		await confirm.getByRole('button', { name: 'Keep answering' }).click();
		await expect(page.getByTestId('portal-submitted')).toHaveCount(0);
		await submitAnswers(page);
		await expect(page.getByTestId('portal-submitted')).toContainText('Submitted — thank you');

		// After a reload the answers are still locked.
		await page.reload();
		await expect(page.getByTestId('portal-submitted')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Submit answers' })).toHaveCount(0);
		await expect(page.locator('[data-key="GOV-01"] input[type=radio]').first()).toBeDisabled();
		await expect(page.locator('input[type=file]')).toHaveCount(0);
		await screenshot(page, 'portal-submitted');

		expect(external, 'requests outside the portal API').toEqual([]);
		expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
		await context.close();
		void DEMO;
	});
});
