import { DEMO, expect, expectAccessible, screenshot, sidebar, signInApi, test } from './fixtures';

test('the template editor: a new question with help, scores, a condition and a framework reference, moved, saved, previewed and published', async ({
	page
}) => {
	test.setTimeout(60_000);
	await signInApi(page, DEMO.risk.email);
	await page.goto('/settings/questionnaires');
	await page.getByRole('link', { name: 'Rampart Full' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rampart Full');
	await page.getByRole('button', { name: 'New revision' }).click();
	await expect(page.getByRole('button', { name: 'Publish' })).toBeVisible();

	const editor = page.getByTestId('draft-editor');
	const governance = editor.locator('section[data-section="governance"]');
	const before = await governance.locator('fieldset.q').count();
	await governance.getByRole('button', { name: /^Add a question to / }).click();
	await expect(governance.locator('fieldset.q')).toHaveCount(before + 1);
	const key = (await governance.locator('fieldset.q').last().getAttribute('data-key'))!;
	expect(key).toMatch(/^GOV-\d{2}$/);
	// Questions start closed (a summary line each); a new one opens for editing.
	await expect(governance.locator('fieldset.q').first().getByLabel('Question text')).toHaveCount(0);
	const q = governance.locator(`fieldset.q[data-key="${key}"]`);
	await expect(q.getByLabel('Question text')).toBeFocused();

	await q.getByLabel('Question text').fill('Do you review the security policy after every major incident?');
	await q.getByLabel('Help text').fill('Say who reviews it and where the review is recorded.');
	await q.getByRole('combobox', { name: 'Answer type' }).selectOption('yes_no_na');
	await q.getByRole('combobox', { name: 'Weight' }).selectOption('4');
	await q.getByLabel('Required').check();
	// A score out of range comes back from the server as a problem shown next to the choices.
	await q.getByLabel('Score of Yes', { exact: true }).fill('150');
	await q.getByLabel('Score of No', { exact: true }).fill('0');
	await expect(q.getByLabel('Yes is expected')).toBeChecked();
	await q.getByRole('combobox', { name: 'Show this question' }).selectOption('GOV-01');
	const equals = q.getByRole('group', { name: /one of these answers to GOV-01/ });
	await expect(equals.getByLabel('Yes', { exact: true })).toBeChecked();
	await q.getByRole('textbox', { name: 'Framework references' }).fill('ISO 27001:2022 A.5.35');
	await q.getByRole('textbox', { name: 'Framework references' }).press('Enter');
	await expect(q.getByRole('button', { name: 'Remove reference ISO 27001:2022 A.5.35' })).toBeVisible();
	await expect(page.getByText('Unsaved changes')).toBeVisible();

	// Leaving with unsaved changes asks first; declining keeps the edits on screen.
	page.once('dialog', (d) => {
		expect(d.message()).toContain('without saving');
		void d.dismiss();
	});
	await sidebar(page).getByRole('link', { name: 'Vendors', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rampart Full');
	await expect(q.getByLabel('Question text')).toHaveValue('Do you review the security policy after every major incident?');

	await editor.getByRole('button', { name: 'Save questions' }).click();
	await expect(q.getByText('choice "yes" score 150 is outside 0-100')).toBeVisible();
	await expect(page.getByText('This draft cannot be published yet')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Publish' })).toBeDisabled();

	await q.getByLabel('Score of Yes', { exact: true }).fill('100');
	// Reorder from the keyboard: the moved question keeps the focus.
	const up = q.getByRole('button', { name: `Move ${key} up` });
	await up.focus();
	await page.keyboard.press('Enter');
	const moved = q;
	await expect(governance.locator('fieldset.q').nth(before - 1)).toHaveAttribute('data-key', key);
	await expect(moved.getByRole('button', { name: `Move ${key} up` })).toBeFocused();
	// Sections move too: Governance down and back up, the focus following it.
	const sectionOrder = () => editor.locator('section[data-section]').evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-section')));
	const [first, second] = await sectionOrder();
	expect(first).toBe('governance');
	await editor.getByRole('button', { name: 'Move section Governance down' }).click();
	expect(await sectionOrder()).toEqual([second, first]);
	await expect(editor.getByRole('button', { name: 'Move section Governance down' })).toBeFocused();
	await page.keyboard.press('Shift+Tab');
	await expect(editor.getByRole('button', { name: 'Move section Governance up' })).toBeFocused();
	await page.keyboard.press('Enter');
	expect(await sectionOrder()).toEqual([first, second]);

	await editor.getByRole('button', { name: 'Save questions' }).click();
	await expect(page.getByText(/^Saved\.$/)).toBeVisible();
	await expect(page.getByText('This draft cannot be published yet')).toHaveCount(0);
	await expect(moved.getByText('outside 0-100')).toHaveCount(0);
	await moved.scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/template-editor.png' });
	await expectAccessible(page, 'the template editor');
	const desktop = page.viewportSize()!;
	await page.setViewportSize({ width: 390, height: 844 });
	await moved.scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/template-editor-phone.png' });
	const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(sideways, 'the editor scrolls sideways on a phone').toBeLessThanOrEqual(0);
	await page.setViewportSize(desktop);

	// The preview shows the question only when GOV-01 is answered yes — live, unsaved edits too.
	await page.getByRole('tab', { name: 'Preview as the vendor sees it' }).click();
	const preview = page.getByTestId('template-preview');
	const shown = preview.locator(`[data-key="${key}"]`);
	await expect(shown).toHaveCount(0);
	await preview.locator('[data-key="GOV-01"]').getByLabel('Yes', { exact: true }).check();
	await expect(shown).toBeVisible();
	await expect(shown).toContainText('Say who reviews it and where the review is recorded.');
	await preview.locator('[data-key="GOV-01"]').getByLabel('No', { exact: true }).check();
	await expect(shown).toHaveCount(0);

	await page.getByRole('tab', { name: 'Questions' }).click();
	await q.getByRole('button', { name: `Edit ${key}` }).click();
	await equals.getByLabel('Yes', { exact: true }).uncheck();
	await moved.getByRole('group', { name: /one of these answers to GOV-01/ }).getByLabel('No', { exact: true }).check();
	await page.getByRole('tab', { name: 'Preview as the vendor sees it' }).click();
	await expect(page.getByText('Showing your unsaved changes.')).toBeVisible();
	await expect(shown).toBeVisible();
	await page.getByRole('tab', { name: 'Questions' }).click();
	await editor.getByRole('button', { name: 'Save questions' }).click();
	await expect(page.getByText(/^Saved\.$/)).toBeVisible();

	// Publishing freezes it; the published revision shows the condition and the reference.
	await page.getByRole('button', { name: 'Publish' }).click();
	await expect(page.getByText('Published. New assessments use this revision; earlier ones keep theirs.')).toBeVisible();
	const row = page.getByRole('row').filter({ hasText: key });
	await expect(row.getByTestId('show-if')).toHaveText('Shown if GOV-01 is No');
	await expect(row.getByTestId('frameworks')).toHaveText('ISO 27001:2022 A.5.35');
	await page.getByRole('tab', { name: 'Preview as the vendor sees it' }).click();
	await preview.locator('[data-key="GOV-01"]').getByLabel('No', { exact: true }).check();
	await expect(shown).toBeVisible();

	// On a phone the editor stacks; look at it there too.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('tab', { name: 'Questions' }).click();
	await screenshot(page, 'template-published-phone');
});

