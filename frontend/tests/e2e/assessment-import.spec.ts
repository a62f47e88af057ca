import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';
import { sentAssessment } from './portal-helpers';
import { workbook } from './xlsx';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

test('a vendor’s workbook is read tab by tab with its comments, each row not taken is reported by cell, and the valid answers are saved', async ({
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

	// A workbook as vendors send it back (HECVAT and SIG spread answers over tabs): a read-me tab,
	// two answer tabs with instructions above headings worded their own way and a comment column,
	// answers in words, a question this questionnaire does not have, one answer that is not a
	// choice, and a hidden lookup tab.
	const book = workbook([
		{ name: 'Read me', rows: [['Answer every question on the tabs that follow.'], ['Questions? security@vendor.example']] },
		{
			name: 'Governance',
			rows: [
				['Acme security questionnaire — our answers'],
				['Use the Additional Information column to explain.'],
				['Ref', 'Question', 'Vendor Response', 'Additional Information'],
				['GOV-01', 'Written security policy?', 'Yes, reviewed by the board every year', ''],
				['IAM-01', 'MFA?', 'For administrators and privileged accounts only', 'Customers sign in through their own SSO'],
				['XYZ-99', 'A question from another questionnaire', 'Yes', '']
			]
		},
		{
			name: 'Operations',
			rows: [
				['Operations'],
				['Question ID', 'Question', 'Answer', 'Notes'],
				['IAM-06', 'Hours to remove access', '1,200', ''],
				['ENC-01', 'Encryption at rest', 'Sometimes', ''],
				['LOG-01', 'Security logs kept?', 'Yes', 'Kept 90 days in a separate account']
			]
		},
		{ name: 'Lookups', hidden: true, rows: [['ID', 'Answer'], ['IRN-01', 'Yes']] }
	]);
	await file.setInputFiles({ name: 'acme-answers.xlsx', mimeType: XLSX_TYPE, buffer: book });
	await importer.getByRole('button', { name: 'Check' }).click();
	const report = page.getByTestId('import-report');
	await expect(report).toContainText('4 answers matched from 2 sheets, 4 would change; 1 row cannot be taken; 1 row matched no question.');
	await expect(report.getByTestId('import-sheet')).toHaveText([
		/Read me: no heading row/,
		/Governance: 2 answers \(headings on row 3\)/,
		/Operations: 2 answers \(headings on row 2\)/,
		/Lookups: hidden sheet: not read/
	]);
	const bad = report.getByTestId('import-invalid');
	await expect(bad).toHaveCount(1);
	await expect(bad.getByRole('cell')).toHaveText(['Operations', 'Operations!C4', 'ENC-01', /Answer not taken\s*"Sometimes" is not one of/]);
	await expect(report.getByTestId('import-unmatched')).toContainText('Governance!A6');
	await expect(report.getByTestId('import-unmatched')).toContainText('XYZ-99');
	await screenshot(page, 'assessment-import-check');
	await expectAccessible(page, 'the answer import report');

	// The bad row does not hold back the others: save the valid answers, the report says what was left out.
	await importer.getByRole('button', { name: 'Save the 4 valid answers' }).click();
	await expect(page.getByText('4 answers were saved from the spreadsheet; 1 row was left out (listed below).')).toBeVisible();
	await expect(report).toContainText('4 answers saved from 2 sheets; 1 row cannot be taken and was not saved');
	await expect(report.getByRole('table')).toContainText('Rows not saved');
	await expect(report.getByTestId('import-invalid')).toContainText('ENC-01');

	const item = (key: string) => page.locator(`[data-testid="review-item"][data-key="${key}"]`);
	await expect(item('GOV-01').getByTestId('answer')).toHaveText('Yes');
	await expect(item('GOV-01')).toContainText('reviewed by the board every year');
	await expect(item('IAM-01').getByTestId('answer')).toHaveText('For administrators and privileged accounts only');
	await expect(item('IAM-01')).toContainText('Customers sign in through their own SSO');
	await expect(item('IAM-06').getByTestId('answer')).toHaveText('1,200');
	await expect(item('LOG-01')).toContainText('Kept 90 days in a separate account');
	await expect(item('ENC-01').getByTestId('answer')).toHaveText('—');
	await expect(page.getByText(/^4 of \d+ answered$/)).toBeVisible();

	// The reviewer's page, report table included, fits a phone.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.screenshot({ path: 'test-results/assessment-phone.png' });
	const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(sideways, 'the assessment page scrolls sideways on a phone').toBeLessThanOrEqual(0);
});
