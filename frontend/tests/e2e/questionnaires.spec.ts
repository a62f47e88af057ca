import { DEMO, expect, expectAccessible, signInApi, test } from './fixtures';
import { workbook } from './xlsx';

test('the questionnaire library lists revisions; a template shows its questions and previews what the vendor sees', async ({ page }) => {
	test.setTimeout(90_000);
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

test('a spreadsheet questionnaire is read with its mapping and skipped rows, then imported as a draft', async ({ page }) => {
	test.setTimeout(90_000);
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
	await page.getByRole('button', { name: 'Read the file' }).click();
	const mapping = page.getByTestId('sheet-mapping');
	await expect(mapping.getByRole('combobox', { name: 'Question', exact: true })).toHaveValue('1');
	await expect(page.getByTestId('sheet-questions').locator('tbody tr')).toHaveCount(2);
	await expect(page.getByTestId('sheet-skipped')).toContainText('instruction row above the headings');
	await expectAccessible(page, 'the sheet import report');

	// Without the help column the preview follows at once.
	await mapping.getByRole('combobox', { name: 'Help' }).selectOption('');
	await expect(page.getByTestId('sheet-preview').locator('thead')).not.toContainText('Help');
	await expect(page.getByTestId('sheet-questions').locator('tbody tr')).toHaveCount(2);
	await page.getByRole('button', { name: 'Import 2 questions as a draft' }).click();
	await expect(page).toHaveURL(/\/settings\/questionnaires\/(?!import)[^/]+$/);
	await expect(page.getByText(/Draft/).first()).toBeVisible();
	await expect(page.getByRole('link', { name: 'Imported file: acme-questionnaire.csv' })).toBeVisible();
});

test('the import wizard: a multi-tab workbook, its sheets picked, a column corrected by hand, the report, saved', async ({ page }) => {
	test.setTimeout(90_000);
	await signInApi(page, DEMO.risk.email);
	await page.goto('/settings/questionnaires/import');
	const head = ['ID', 'Question', 'Answer', 'Additional Information', 'Notes'];
	const file = workbook([
		{ name: 'START HERE', rows: [['HECVAT-style questionnaire 4.1'], ['Complete every tab.']] },
		{ name: 'Organization', rows: [['Organization'], ['Answer each question.'], [], head, ['ORG-01', 'Do you have a <i>dedicated</i> security team?', '', '', 'Critical'], ['ORG-02', 'Do you store passwords in plain text?', '', '', '']] },
		{ name: 'Application', rows: [['Application'], head, ['APP-01', 'Do you review code?', '', '', '']] },
		{ name: 'Lists', hidden: true, rows: [['Yes'], ['No']] }
	]);
	await page.getByLabel('Questionnaire file').setInputFiles({ name: 'hecvat-style.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
	await page.getByRole('button', { name: 'Read the file' }).click();

	// Both question tabs are picked, each a section; the hidden sheet is marked.
	const picker = page.getByTestId('sheet-picker');
	await expect(picker.getByRole('checkbox', { name: 'Organization' })).toBeChecked();
	await expect(picker.getByRole('checkbox', { name: 'Application' })).toBeChecked();
	await expect(picker.getByRole('listitem').filter({ hasText: 'Lists' })).toContainText('Hidden');
	await expect(page.getByTestId('import-sections')).toContainText('Organization');
	await expect(page.getByTestId('sheet-questions').locator('tbody tr')).toHaveCount(3);
	await expectAccessible(page, 'the import wizard');

	// Leave the Application tab out.
	await picker.getByRole('checkbox', { name: 'Application' }).uncheck();
	await expect(page.getByTestId('sheet-questions').locator('tbody tr')).toHaveCount(2);

	// The "Notes" column holds criticality: map it by hand.
	const mapping = page.getByTestId('sheet-mapping');
	await mapping.getByRole('combobox', { name: 'Required or critical' }).selectOption({ label: 'Notes' });
	await expect(page.getByTestId('sheet-preview').locator('thead')).toContainText('Required or critical');
	const rows = page.getByTestId('sheet-questions').locator('tbody tr');
	await expect(rows.filter({ hasText: 'ORG-01' })).toContainText('Yes');
	await expect(rows.filter({ hasText: 'ORG-02' }).locator('td').nth(5)).toHaveText('');

	await page.getByLabel('Name of the draft').fill('Higher-ed questionnaire');
	await page.getByRole('button', { name: 'Import 2 questions as a draft' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Higher-ed questionnaire');
	await expect(page.getByTestId('draft-editor').locator('fieldset[data-key="ORG-01"]')).toBeVisible();
});

test('headings Rampart cannot read are no dead end: the columns are chosen by hand', async ({ page }) => {
	test.setTimeout(90_000);
	await signInApi(page, DEMO.risk.email);
	await page.goto('/settings/questionnaires/import');
	const csv = ['Fragebogen Lieferanten', 'Nummer,Frage,Gewicht', 'L-1,Verschlüsseln Sie Daten im Ruhezustand?,5', 'L-2,Gibt es ein Notfallhandbuch?,1', ''].join('\n');
	await page.getByLabel('Questionnaire file').setInputFiles({ name: 'lieferanten.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Read the file' }).click();
	await expect(page.getByTestId('import-report')).toContainText('choose the sheet, the heading row and the columns');
	const mapping = page.getByTestId('sheet-mapping');
	await mapping.getByLabel('Heading row').fill('2');
	await mapping.getByLabel('Heading row').blur();
	await expect(mapping.getByRole('combobox', { name: 'Question', exact: true }).locator('option', { hasText: 'Frage' })).toHaveCount(1);
	await mapping.getByRole('combobox', { name: 'Question', exact: true }).selectOption({ label: 'Frage' });
	await mapping.getByRole('combobox', { name: 'Question ID' }).selectOption({ label: 'Nummer' });
	await expect(page.getByTestId('sheet-questions').locator('tbody tr')).toHaveCount(2);
	await expect(page.getByTestId('sheet-questions')).toContainText('L-1');
	await expect(page.getByRole('button', { name: 'Import 2 questions as a draft' })).toBeEnabled();
});
