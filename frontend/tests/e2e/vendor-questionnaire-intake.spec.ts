import { DEMO, expect, expectAccessible, screenshot, signInApi, test } from './fixtures';
import { sentAssessment } from './portal-helpers';

// A vendor's own answers, written the way vendors write them: their own numbering and wording,
// bold questions with the answer below, plain questions ending in "?", and a question that is
// not in Rampart Lite at all.
const VENDOR_ANSWERS = `# Northwind — security questionnaire responses

## Governance

**1.1 Does your organisation maintain an information security policy approved by management and reviewed at least yearly?**
Yes. Approved by the CEO and reviewed every January.

**1.2 Staff vetting?**
Yes, all of them

## Encryption

2.1 Is customer data encrypted at rest, including backups?
Yes, everywhere, including backups and replicas. AES-256 with keys in a KMS.

2.2 What minimum TLS version do you support for data in transit?
TLS 1.2

Are security logs collected centrally and retained?
Yes, logs are kept 90 days in our SIEM.

What is your favourite colour?
Blue.
`;

test('a vendor’s own Markdown answers are matched to the questionnaire, corrected by the reviewer and saved with their source', async ({
	page,
	request
}) => {
	test.setTimeout(90_000);
	const { id } = await sentAssessment(request, 12);
	await signInApi(page, DEMO.risk.email);
	await page.goto(`/assessments/${id}`);

	const panel = page.getByTestId('intake-panel');
	await expect(panel.getByRole('heading', { name: "Bring in the vendor's own questionnaire" })).toBeVisible();
	await panel
		.getByLabel("Vendor's questionnaire (XLSX, CSV, Word, PDF, Markdown or text)")
		.setInputFiles({ name: 'northwind-answers.md', mimeType: 'text/markdown', buffer: Buffer.from(VENDOR_ANSWERS) });
	await panel.getByRole('button', { name: 'Read the file' }).click();

	await expect(page.getByTestId('intake-summary')).toContainText('6 questions found in the file, 5 matched');
	const row = (ref: string) => panel.locator(`[data-testid="intake-row"][data-ref="${ref}"]`);
	const question = (ref: string) => row(ref).getByTestId('intake-question');

	// The proposal explains itself: the vendor's words quoted, the similarity and the shared words.
	await expect(question('line 5')).toHaveValue('GOV-01');
	await expect(row('line 5')).toContainText('Does your organisation maintain an information security policy');
	await expect(row('line 5').getByTestId('intake-similarity')).toContainText(/\d+%/);
	await expect(row('line 5').getByTestId('intake-similarity')).toContainText('shared: approved');
	await expect(row('line 5').getByTestId('intake-answer')).toContainText('Yes');
	await expect(row('line 5').getByTestId('intake-answer')).toContainText('Approved by the CEO');
	await expect(question('line 16')).toHaveValue('ENC-04');
	await expect(question('line 22')).toHaveValue('');
	await expect(row('line 22').getByRole('checkbox')).not.toBeChecked();
	await screenshot(page, 'vendor-questionnaire-proposal');
	await panel.screenshot({ path: 'test-results/vendor-questionnaire-panel.png' });
	await expectAccessible(page, 'the proposal of answers from the vendor’s questionnaire');

	// "Staff vetting?" was taken for the training question; the reviewer moves it to background
	// checks, and leaves the TLS answer out.
	await expect(question('line 8')).toHaveValue('HRS-03');
	await question('line 8').selectOption('HRS-01');
	await expect(row('line 8').getByTestId('intake-answer')).toContainText('read for HRS-01 when saved');
	await row('line 16').getByRole('checkbox').uncheck();

	await panel.getByRole('button', { name: 'Save 4 answers' }).click();
	await expect(page.getByText('4 answers were saved with their source.')).toBeVisible();
	await expect(page.getByTestId('intake-proposal')).toHaveCount(0);

	const item = (key: string) => page.locator(`[data-testid="review-item"][data-key="${key}"]`);
	await expect(item('GOV-01').getByTestId('answer')).toHaveText('Yes');
	await expect(item('GOV-01').getByTestId('answer-source')).toContainText(
		"From the vendor's document: “1.1 Does your organisation maintain an information security policy"
	);
	await expect(item('GOV-01')).toContainText('Approved by the CEO and reviewed every January.');
	await expect(item('HRS-01').getByTestId('answer')).toHaveText('Yes, all of them');
	await expect(item('HRS-01').getByTestId('answer-source')).toContainText('“1.2 Staff vetting?” — Yes, all of them');
	await expect(item('LOG-01').getByTestId('answer')).toHaveText('Yes');
	await expect(item('ENC-04').getByTestId('answer')).toHaveText('—');
	await expect(item('ENC-04').getByTestId('answer-source')).toHaveCount(0);
	await expect(item('HRS-03').getByTestId('answer-source')).toHaveCount(0);
	await expect(page.getByText(/^4 of \d+ answered$/)).toBeVisible();
	await screenshot(page, 'vendor-questionnaire-saved');

	// The panel fits a phone, with a proposal on screen too (its table scrolls on its own).
	await panel
		.getByLabel("Vendor's questionnaire (XLSX, CSV, Word, PDF, Markdown or text)")
		.setInputFiles({ name: 'northwind-answers.md', mimeType: 'text/markdown', buffer: Buffer.from(VENDOR_ANSWERS) });
	await panel.getByRole('button', { name: 'Read the file' }).click();
	await expect(page.getByTestId('intake-proposal')).toBeVisible();
	await page.setViewportSize({ width: 390, height: 844 });
	const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(sideways, 'the assessment page scrolls sideways on a phone').toBeLessThanOrEqual(0);
});
