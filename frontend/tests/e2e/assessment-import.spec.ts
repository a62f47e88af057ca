import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';
import { sentAssessment } from './portal-helpers';
import { xlsx } from './xlsx';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

test('a vendor’s filled-in spreadsheet is checked (matched, unmatched and invalid rows reported) and imported', async ({
	page,
	request,
	consoleGuard
}) => {
	test.setTimeout(60_000);
	consoleGuard.allow(/status of 422/);
	const { id } = await sentAssessment(request, 10);
	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${id}`);
	const importer = page.getByRole('heading', { name: "Import the vendor's spreadsheet" }).locator('..');
	const file = importer.getByLabel('Spreadsheet (XLSX or CSV)');

	// A sheet as vendors send it back: a title row, the headings, answers in words, a row for a
	// question this questionnaire does not have, and one answer that is not a choice.
	const rows = [
		['Acme security questionnaire — our answers'],
		['Ref', 'Question', 'Vendor response', 'Comments'],
		['GOV-01', 'Written security policy?', 'Yes', 'Reviewed every year'],
		['IAM-01', 'MFA?', 'For administrators and privileged accounts only', ''],
		['IAM-06', 'Hours to remove access', '1,200', ''],
		['XYZ-99', 'A question from another questionnaire', 'Yes', ''],
		['ENC-01', 'Encryption at rest', 'Sometimes', '']
	];
	await file.setInputFiles({ name: 'acme-answers.xlsx', mimeType: XLSX_TYPE, buffer: xlsx(rows) });
	await importer.getByRole('button', { name: 'Check' }).click();
	const report = page.getByTestId('import-report');
	await expect(report).toContainText('3 answers matched');
	await expect(report).toContainText('1 row matched no question; 1 invalid');
	await expect(report.getByTestId('import-unmatched')).toHaveCount(1);
	await expect(report.getByTestId('import-unmatched')).toContainText('XYZ-99');
	await expect(report.getByTestId('import-invalid')).toHaveCount(1);
	await expect(report.getByTestId('import-invalid')).toContainText('ENC-01');
	// Nothing is imported while an answer is invalid.
	await expect(importer.getByRole('button', { name: /^Import \d+ answers$/ })).toHaveCount(0);
	await screenshot(page, 'assessment-import-check');
	await expectAccessible(page, 'the answer import report');

	// The corrected sheet imports; the unmatched row is still reported and skipped.
	rows[6] = ['ENC-01', 'Encryption at rest', 'No', ''];
	await file.setInputFiles({ name: 'acme-answers-fixed.xlsx', mimeType: XLSX_TYPE, buffer: xlsx(rows) });
	await importer.getByRole('button', { name: 'Check' }).click();
	await expect(report).toContainText('4 answers matched');
	await expect(report.getByTestId('import-invalid')).toHaveCount(0);
	await expect(report.getByTestId('import-unmatched')).toContainText('XYZ-99');
	await importer.getByRole('button', { name: 'Import 4 answers' }).click();
	await expect(page.getByText('The answers from the spreadsheet were imported.')).toBeVisible();

	const answer = (key: string) => page.locator(`[data-testid="review-item"][data-key="${key}"]`).getByTestId('answer');
	await expect(answer('GOV-01')).toHaveText('Yes');
	await expect(answer('IAM-01')).toHaveText('For administrators and privileged accounts only');
	await expect(answer('IAM-06')).toHaveText('1,200');
	await expect(answer('ENC-01')).toHaveText('No');
	await expect(page.locator('[data-testid="review-item"][data-key="GOV-01"]')).toContainText('Reviewed every year');
	await expect(page.getByText(/^4 of \d+ answered$/)).toBeVisible();

	// The reviewer's page fits a phone.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.screenshot({ path: 'test-results/assessment-phone.png' });
	const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(sideways, 'the assessment page scrolls sideways on a phone').toBeLessThanOrEqual(0);
});
