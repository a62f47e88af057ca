import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO, expect, expectAccessible, httpError, screenshot, signInApi, test } from './fixtures';

/** What the receiver got: the event, and whether its signature checked out with the secret. */
interface Received {
	type: string;
	id: string;
	signed: boolean;
}

/**
 * A webhook receiver written the way the docs tell integrators to: it checks Rampart-Signature
 * (HMAC-SHA256 over "<t>.<body>") with the secret and refuses a timestamp 5 minutes off.
 */
function receiver(): { server: Server; got: Received[]; setSecret: (s: string) => void; url: () => string } {
	const got: Received[] = [];
	let secret = '';
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const header = String(req.headers['rampart-signature'] ?? '');
			const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
			const want = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
			const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
			const signed =
				fresh && typeof parts.v1 === 'string' && parts.v1.length === want.length && timingSafeEqual(Buffer.from(parts.v1), Buffer.from(want));
			const payload = JSON.parse(body) as { type: string; id: string };
			got.push({ type: payload.type, id: payload.id, signed });
			res.writeHead(signed ? 204 : 401).end();
		});
	});
	server.listen(0, '127.0.0.1');
	return {
		server,
		got,
		setSecret: (s) => (secret = s),
		url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/rampart`
	};
}

test('webhooks: an admin adds a receiver, its test event arrives signed, and the delivery log shows each try', async ({ page, consoleGuard }) => {
	test.setTimeout(90_000);
	const rcv = receiver();
	try {
		await signInApi(page, DEMO.admin.email);
		await page.goto('/settings');
		await page.getByRole('link', { name: /Webhooks/ }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Webhooks');
		// The demo's SIEM endpoint, with the latest findings queued for it.
		const table = page.getByRole('table', { name: 'Webhook endpoints' });
		const siem = table.getByRole('row').filter({ hasText: 'siem.example.com' });
		await expect(siem).toContainText('Security operations SIEM');
		// example.com takes no events: they wait for their next try, the endpoint still on.
		await expect(siem).toContainText('pending');
		await expect(siem).toContainText('On');

		// A receiver on this machine is refused until private addresses are allowed.
		consoleGuard.allow(httpError(422, '/api/v1/webhooks'));
		await page.getByLabel('Endpoint URL').fill(rcv.url());
		await page.getByLabel('Description').fill('Ticketing <b>bridge</b>');
		await page.getByRole('checkbox', { name: 'Finding opened' }).check();
		await page.getByRole('checkbox', { name: 'Vendor approved' }).check();
		await page.getByRole('button', { name: 'Add endpoint' }).click();
		await expect(page.getByLabel('Endpoint URL')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByText(/private address \(127\.0\.0\.1\)/).first()).toBeVisible();
		await page.getByRole('checkbox', { name: 'Allow private addresses' }).check();
		await page.getByRole('button', { name: 'Add endpoint' }).click();

		const secret = await page.getByTestId('webhook-secret').inputValue();
		expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
		rcv.setSecret(secret);
		await expect(table.getByRole('link', { name: rcv.url() })).toBeVisible();
		await screenshot(page, 'webhooks');
		await expectAccessible(page, 'the webhooks page');

		await page.getByRole('link', { name: 'Open the endpoint' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ticketing <b>bridge</b>');
		await page.getByRole('button', { name: 'Send test event' }).click();
		await expect(page.getByText('Test event queued')).toBeVisible();
		// The worker looks for due deliveries every 5 seconds.
		await expect.poll(() => rcv.got.map((g) => `${g.type}:${g.signed}`), { timeout: 20_000 }).toEqual(['ping:true']);

		const log = page.getByRole('table', { name: 'Deliveries to this endpoint' });
		await expect
			.poll(
				async () => {
					await page.reload();
					return log.getByRole('row').filter({ hasText: 'Test event' }).innerText();
				},
				{ timeout: 15_000 }
			)
			.toContain('Delivered');
		await expect(log.getByRole('row').filter({ hasText: 'Test event' })).toContainText('HTTP 204');
		await screenshot(page, 'webhook-endpoint');
		await expectAccessible(page, 'a webhook endpoint');

		await log.getByRole('link', { name: 'Test event' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Delivery of ping');
		await expect(page.getByRole('region', { name: 'Payload as sent' })).toContainText(`"id": "${rcv.got[0]?.id}"`);
		await expect(page.getByRole('table', { name: 'Tries of this delivery' })).toContainText('HTTP 204');
		await expectAccessible(page, 'a webhook delivery');
		await page.getByRole('button', { name: 'Send again' }).click();
		await expect(page.getByText('Queued to be sent again')).toBeVisible();
		// The same event again, with the same id: receivers drop duplicates by it.
		await expect.poll(() => rcv.got.length, { timeout: 20_000 }).toBe(2);
		expect(rcv.got[1]).toEqual(rcv.got[0]);

		// Turned off, the endpoint takes no test event.
		await page.getByRole('link', { name: 'Endpoint' }).click();
		await page.getByRole('checkbox', { name: 'Send events to this endpoint' }).uncheck();
		await page.getByRole('button', { name: 'Save endpoint' }).click();
		await expect(page.getByText('Saved', { exact: true })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Send test event' })).toBeDisabled();
	} finally {
		rcv.server.close();
	}
});

test('webhooks are for administrators only', async ({ page, consoleGuard }) => {
	consoleGuard.allow(httpError(403, '/api/v1/webhooks'));
	await signInApi(page, DEMO.risk.email);
	await page.goto('/settings');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
	await expect(page.getByRole('link', { name: /Webhooks/ })).toHaveCount(0);
	const res = await page.request.get('/api/v1/webhooks');
	expect(res.status()).toBe(403);
});
