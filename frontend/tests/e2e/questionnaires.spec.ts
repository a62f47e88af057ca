import { DEMO, expect, expectAccessible, signInApi, test } from './fixtures';

test('the questionnaire library lists revisions; a template shows its questions and previews what the vendor sees', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	await page.goto('/settings');
	await page.getByRole('link', { name: /Questionnaires/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Questionnaires');
	await expectAccessible(page, 'the questionnaire list');
	await page.getByRole('link', { name: 'Rampart Lite' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rampart Lite');
	await expect(page.getByRole('table', { name: 'Governance' })).toContainText('GOV-01');
	await expectAccessible(page, 'a questionnaire');

	await page.getByRole('tab', { name: 'Preview as the vendor sees it' }).click();
	const preview = page.getByTestId('template-preview');
	await expect(preview.locator('[data-key="GOV-05"]')).toHaveCount(0);
	await preview.locator('[data-key="GOV-04"]').getByLabel('SOC 2 Type II').check();
	await expect(preview.locator('[data-key="GOV-05"]')).toBeVisible();
	await expectAccessible(page, 'the vendor preview');

	// A new revision is a draft that can be edited; the published one stays as it was.
	await page.getByRole('tab', { name: 'Questions' }).click();
	await page.getByRole('button', { name: 'New revision' }).click();
	await expect(page.getByText(/Draft/).first()).toBeVisible();
	await expect(page.getByRole('button', { name: 'Publish' })).toBeVisible();
	await page.getByRole('textbox', { name: 'Name' }).fill('Rampart Lite (draft edit)');
	await page.getByRole('button', { name: 'Save details' }).click();
	await expect(page.getByText('Saved.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rampart Lite (draft edit)');

	// The draft's questions: change one, drop one, save; the server's problems would show above.
	const editor = page.getByTestId('draft-editor');
	const gov01 = editor.locator('fieldset[data-key="GOV-01"]');
	await gov01.getByRole('button', { name: 'Edit GOV-01' }).click();
	await gov01.getByLabel('Question text').fill('Do you have an approved information security policy?');
	await editor.getByRole('button', { name: 'Remove IAM-07' }).click();
	await expect(editor.locator('fieldset[data-key="IAM-07"]')).toHaveCount(0);
	await editor.getByRole('button', { name: 'Save questions' }).click();
	await expect(page.getByText(/^Saved/)).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('draft-editor').locator('fieldset[data-key="GOV-01"]')).toContainText(
		'Do you have an approved information security policy?'
	);
	await expect(page.getByTestId('draft-editor').locator('fieldset[data-key="IAM-07"]')).toHaveCount(0);
	await expectAccessible(page, 'the draft editor');
});

test('a spreadsheet questionnaire is previewed with its mapping and skipped rows, then imported as a draft', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	await page.goto('/settings/questionnaires');
	await page.getByRole('link', { name: 'Import' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import a questionnaire');
	const csv = [
		'Vendor security questionnaire',
		'Please answer all questions',
		'ID,Question,Answer type,Options,Guidance',
		'Access control,,,,',
		'AC-1,Do you enforce MFA?,Yes/No,,Explain',
		'AC-2,Which SSO do you support?,Dropdown,SAML;OIDC;None,',
		''
	].join('\n');
	await page.getByLabel('Questionnaire file').setInputFiles({ name: 'acme-questionnaire.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Preview' }).click();
	const mapping = page.getByTestId('sheet-mapping');
	await expect(mapping.getByRole('combobox', { name: 'Question' })).toHaveValue('1');
	await expect(page.getByTestId('sheet-questions').locator('tbody tr')).toHaveCount(2);
	await expect(page.getByTestId('sheet-skipped')).toContainText('instruction row above the headings');
	await expectAccessible(page, 'the sheet import preview');

	// Without the help column the preview changes accordingly.
	await mapping.getByRole('combobox', { name: 'Help' }).selectOption('');
	await page.getByRole('button', { name: 'Preview again' }).click();
	await expect(page.getByTestId('sheet-questions').locator('tbody tr')).toHaveCount(2);
	await page.getByRole('button', { name: 'Import 2 questions as a draft' }).click();
	await expect(page).toHaveURL(/\/settings\/questionnaires\/(?!import)[^/]+$/);
	await expect(page.getByText(/Draft/).first()).toBeVisible();
	await expect(page.getByText('This draft cannot be published yet')).toBeVisible();
});
