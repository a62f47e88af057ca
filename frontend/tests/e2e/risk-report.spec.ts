import { writeFileSync } from 'node:fs';
import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';

/** Page objects in a PDF: each page is one `/Type /Page` dictionary (`/Pages` is the tree). */
function pageCount(pdf: Buffer): number {
	return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

test('the vendor risk report shows every section and prints on at most two pages', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	// The demo vendor whose finding's risk was accepted: it has findings, an exception and contracts.
	const exceptions = await (await page.request.get('/api/v1/exceptions', { params: { status: 'approved' } })).json();
	const accepted = (exceptions.items as { vendor_id: string; finding_title: string }[]).find(
		(e) => e.finding_title === 'Subprocessor list not published'
	)!;
	const vendorId = accepted.vendor_id;

	await page.goto(`/vendors/${vendorId}`);
	await page.getByRole('link', { name: 'Risk report' }).click();
	await expect(page).toHaveURL(new RegExp(`/vendors/${vendorId}/report$`));

	const report = page.getByTestId('vendor-report');
	await expect(report).toBeVisible();
	await expect(report.getByRole('heading', { level: 1 })).not.toBeEmpty();
	await expect(page.getByTestId('report-tier')).toHaveText(/Tier [1-4]/);
	await expect(page.getByTestId('report-profile')).toContainText('Data handled');
	const reasons = page.getByTestId('report-reasons').locator('tbody tr');
	expect(await reasons.count()).toBeGreaterThan(0);
	// Reasons in words, never raw codes.
	await expect(page.getByTestId('report-reasons')).not.toContainText('_');
	await expect(page.getByTestId('report-risk')).toContainText(/Likelihood \d \([\w ]+\) × impact \d\s+\(\w+\)/);
	await expect(page.getByTestId('report-assessment')).toBeVisible();
	await expect(page.getByTestId('report-findings')).toContainText('Subprocessor list not published');
	await expect(page.getByTestId('report-exceptions')).toContainText('Approved');
	await expect(page.getByTestId('report-contracts')).toContainText('Master services agreement');
	await expect(report.locator('footer')).toContainText('Generated');
	await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeVisible();
	await expectAccessible(page, 'the vendor risk report');
	await screenshot(page, 'risk-report');

	// Printed: no app shell, and one or two pages on A4 and on Letter.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
	await expect(page.getByTestId('user-menu')).toBeHidden();
	await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeHidden();
	await screenshot(page, 'risk-report-print');
	for (const format of ['A4', 'Letter'] as const) {
		const pdf = await page.pdf({ format, printBackground: true, preferCSSPageSize: true });
		writeFileSync(`test-results/risk-report-${format}.pdf`, pdf);
		const pages = pageCount(pdf);
		expect(pages, `${format} pages`).toBeGreaterThanOrEqual(1);
		expect(pages, `${format} pages`).toBeLessThanOrEqual(2);
	}

	// The fullest demo report (a completed assessment with its sections, findings, contracts)
	// stays within two pages too.
	const done = await (await page.request.get('/api/v1/assessments', { params: { status: 'completed', limit: 1 } })).json();
	await page.emulateMedia({ media: 'screen' });
	await page.goto(`/vendors/${done.items[0].vendor_id}/report`);
	await expect(page.getByTestId('report-assessment').getByRole('table')).toBeVisible();
	await screenshot(page, 'risk-report-assessed');
	await page.emulateMedia({ media: 'print' });
	const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
	writeFileSync('test-results/risk-report-assessed.pdf', pdf);
	expect(pageCount(pdf), 'pages of the fullest report').toBeLessThanOrEqual(2);
});

test('a vendor without a report of its own answers 404 on the report page', async ({ page, consoleGuard }) => {
	consoleGuard.allow(/status of 404/);
	await signInApi(page, DEMO.auditor.email);
	await page.goto('/vendors/no-such-vendor/report');
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page.getByTestId('vendor-report')).toHaveCount(0);
});
