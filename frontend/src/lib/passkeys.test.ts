import { describe, expect, it } from 'vitest';
import { creationOptions, fromBase64url, requestOptions, toBase64url } from './passkeys';

describe('base64url', () => {
	it('round-trips every byte value and length, without padding', () => {
		for (let n = 0; n < 70; n++) {
			const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) % 256);
			const s = toBase64url(bytes);
			expect(s).not.toMatch(/[+/=]/);
			expect(new Uint8Array(fromBase64url(s))).toEqual(bytes);
		}
	});

	it('reads what a server writes', () => {
		expect(new Uint8Array(fromBase64url('-_8'))).toEqual(new Uint8Array([0xfb, 0xff]));
		expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
	});
});

describe('options', () => {
	it('turns the registration options’ binary fields into buffers', () => {
		const o = creationOptions({
			challenge: 'AAEC',
			rp: { id: 'localhost', name: 'Rampart' },
			user: { id: 'dXNlcg', name: 'a@b.test', displayName: 'A' },
			pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
			excludeCredentials: [{ type: 'public-key', id: 'AQ', transports: ['internal'] }]
		});
		expect(new Uint8Array(o.challenge as ArrayBuffer)).toEqual(new Uint8Array([0, 1, 2]));
		expect(new TextDecoder().decode(o.user.id as ArrayBuffer)).toBe('user');
		expect(o.user.name).toBe('a@b.test');
		expect(new Uint8Array(o.excludeCredentials![0]!.id as ArrayBuffer)).toEqual(new Uint8Array([1]));
		expect(o.excludeCredentials![0]!.transports).toEqual(['internal']);
	});

	it('leaves allowCredentials out of a discoverable sign-in', () => {
		const o = requestOptions({ challenge: 'AAEC', rpId: 'localhost', userVerification: 'required' });
		expect(o.allowCredentials).toBeUndefined();
		expect(o.rpId).toBe('localhost');
	});
});
