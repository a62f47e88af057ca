import { describe, expect, it } from 'vitest';
import { logoProblem, MAX_LOGO_BYTES, portalLogoUrl } from './logo';

describe('portal logo', () => {
	it('takes small PNG and JPEG images only', () => {
		expect(logoProblem(new File(['x'], 'logo.png', { type: 'image/png' }))).toBeNull();
		expect(logoProblem(new File(['x'], 'logo.jpg', { type: 'image/jpeg' }))).toBeNull();
		expect(logoProblem(new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' }))).toMatch(/not a PNG or JPEG/);
		expect(logoProblem(new File([new Uint8Array(MAX_LOGO_BYTES + 1)], 'big.png', { type: 'image/png' }))).toMatch(/larger than 512 KB/);
	});
	it('is served under the link', () => {
		expect(portalLogoUrl('rpt_a b')).toBe('/api/v1/portal/rpt_a%20b/logo');
	});
});
