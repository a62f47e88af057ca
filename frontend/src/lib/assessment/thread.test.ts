import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE, messageFileUrl, messageProblem, portalMessageFileUrl, threadBadge } from './thread';

describe('answer threads', () => {
	it('a message needs words or a file, and at most the server limit', () => {
		expect(messageProblem('   ', null)).toMatch(/Write a message or attach a file/);
		expect(messageProblem('', new File(['%PDF'], 'a.pdf'))).toBeNull();
		expect(messageProblem('é'.repeat(MAX_MESSAGE), null)).toBeNull();
		expect(messageProblem('é'.repeat(MAX_MESSAGE + 1), null)).toMatch(/at most 5,000 characters/);
	});
	it('the badge counts messages and new ones', () => {
		expect(threadBadge(undefined)).toBe('');
		expect(threadBadge({ total: 0, unread: 0 })).toBe('');
		expect(threadBadge({ total: 1, unread: 0 })).toBe('1 message');
		expect(threadBadge({ total: 3, unread: 2 })).toBe('2 new / 3 messages');
	});
	it('file links are encoded under their own assessment or token', () => {
		expect(messageFileUrl('a/b', 'f 1')).toBe('/api/v1/assessments/a%2Fb/message-files/f%201');
		expect(portalMessageFileUrl('rpt_x', 'f')).toBe('/api/v1/portal/rpt_x/message-files/f');
	});
});
