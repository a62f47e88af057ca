// The vendor page fits a phone: no tab makes the page scroll sideways at 390 px.
import { apiAs, DEMO, expect, screenshot, signInApi, test } from './fixtures';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('every vendor tab fits a 390 px phone without sideways scrolling', async ({ page }) => {
	await signInApi(page, DEMO.risk.email);
	// A vendor with a score history, contracts, findings and assessments: the demo's most critical.
	const list = await (await page.request.get('/api/v1/vendors', { params: { limit: 1, sort: '-residual_score' } })).json();
	const vendor = list.items[0] as { id: string; name: string };
	for (const tab of ['overview', 'risk', 'assessments', 'findings', 'contracts', 'documents', 'incidents', 'activity']) {
		await page.goto(`/vendors/${vendor.id}?tab=${tab}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(vendor.name);
		await expect(page.getByRole('tab', { selected: true })).toBeVisible();
		await page.waitForLoadState('networkidle');
		const { width, culprits } = await page.evaluate(() => {
			const root = document.scrollingElement!;
			const wide = [...document.querySelectorAll<HTMLElement>('main *')]
				.filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
				.slice(0, 5)
				.map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
			return { width: root.scrollWidth, culprits: wide };
		});
		if (tab === 'risk') await screenshot(page, 'vendor-risk-phone');
		expect(width, `the ${tab} tab is ${width} px wide: ${culprits.join('; ')}`).toBeLessThanOrEqual(390);
	}
});

test('a long assessment title and the evidence table scroll inside their boxes, not the page', async ({ page }) => {
	const { csrf } = await apiAs(page.request, DEMO.risk.email);
	const created = await page.request.post('/api/v1/vendors', {
		headers: { 'X-CSRF-Token': csrf },
		data: { name: `Phone Vault ${Date.now()}`, category: 'saas', criticality: 'critical' }
	});
	const vendor = (await created.json()) as { id: string };
	const templates = (await (await page.request.get('/api/v1/questionnaire-templates')).json()) as { items: { id: string; name: string; status: string }[] };
	const lite = templates.items.find((t) => t.name === 'Rampart Lite' && t.status === 'published')!;
	const a = await page.request.post('/api/v1/assessments', { headers: { 'X-CSRF-Token': csrf }, data: { vendor_id: vendor.id, template_id: lite.id } });
	expect(a.status()).toBe(201);
	await page.goto(`/vendors/${vendor.id}?tab=assessments`);
	await expect(page.getByTestId('vendor-assessments').getByRole('link').first()).toBeVisible();
	expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);

	// The evidence table (seven columns) scrolls in its own box too, leaving the checklist above it narrow.
	const up = await page.request.post(`/api/v1/vendors/${vendor.id}/evidence`, {
		headers: { 'X-CSRF-Token': csrf },
		multipart: {
			kind: 'insurance_certificate',
			issuer: 'Harbour Mutual Insurance Company of the North Atlantic',
			file: { name: 'insurance.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n') }
		}
	});
	expect(up.status(), await up.text()).toBe(201);
	await page.goto(`/vendors/${vendor.id}?tab=documents`);
	await expect(page.getByTestId('vendor-evidence').getByRole('table')).toBeVisible();
	// Named when it fails: the elements that reach the page's right edge.
	const edge = await page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('body *')]
			.filter((el) => Math.abs(el.getBoundingClientRect().right - document.scrollingElement!.scrollWidth) < 2)
			.slice(0, 5)
			.map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)
	);
	expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), edge.join('; ')).toBeLessThanOrEqual(390);

	// A contract with a near cancel-by date: five columns and a badge scroll in their box as well.
	const ends = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
	const c = await page.request.post('/api/v1/contracts', {
		headers: { 'X-CSRF-Token': csrf },
		data: { vendor_id: vendor.id, title: 'Order form mxbghv1n5024mxbghv1n5024', type: 'order_form', status: 'legal_review', end_date: ends,
			auto_renewal: true, renewal_term_months: 12, notice_period: 40, notice_unit: 'days' }
	});
	expect(c.status(), await c.text()).toBe(201);
	await page.goto(`/vendors/${vendor.id}?tab=contracts`);
	await expect(page.getByTestId('vendor-contracts').getByRole('table')).toContainText(/in \d+ days/);
	expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
});
