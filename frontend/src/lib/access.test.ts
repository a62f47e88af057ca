import { describe, expect, it } from 'vitest';
import {
	homeFor,
	isActive,
	navFor,
	requiredPermission,
	roleLabel,
	safeNext,
	signInUrl,
	tooManyAttemptsMessage
} from './access';

const SECTIONS = [
	'dashboard.read',
	'vendors.read',
	'requests.read',
	'assessments.read',
	'contracts.read',
	'findings.read',
	'incidents.read'
];
const OWN = ['profile.own', 'api_tokens.own'];

// What each demo role is granted (the server's table); the expected sidebars are the product's.
const ROLES = {
	admin: [...OWN, ...SECTIONS, 'audit.read', 'settings.read', 'users.read', 'users.manage'],
	risk_manager: [...OWN, ...SECTIONS, 'settings.read', 'users.read'],
	legal: [...OWN, ...SECTIONS, 'users.read'],
	requester: [...OWN, 'requests.read'],
	auditor: [...OWN, ...SECTIONS, 'audit.read', 'settings.read', 'users.read']
};

const labels = (perms: string[]) => navFor(perms).map((i) => i.label);
const ALL = ['Dashboard', 'Vendors', 'Requests', 'Assessments', 'Contracts', 'Findings', 'Incidents'];

describe('navFor', () => {
	it('shows each role exactly its sections', () => {
		expect(labels(ROLES.admin)).toEqual([...ALL, 'Activity', 'Settings']);
		expect(labels(ROLES.risk_manager)).toEqual([...ALL, 'Settings']);
		expect(labels(ROLES.legal)).toEqual(ALL);
		expect(labels(ROLES.requester)).toEqual(['Requests']);
		expect(labels(ROLES.auditor)).toEqual([...ALL, 'Activity', 'Settings']);
	});

	it('shows nothing without permissions and ignores unknown ones', () => {
		expect(navFor([])).toEqual([]);
		expect(labels(['vendors.write', 'something.else'])).toEqual([]);
	});
});

describe('homeFor', () => {
	it('is the first section the user has', () => {
		expect(homeFor(ROLES.admin)).toBe('/');
		expect(homeFor(ROLES.requester)).toBe('/requests');
		expect(homeFor(OWN)).toBe('/settings/profile');
	});
});

describe('requiredPermission', () => {
	it.each([
		['/', 'dashboard.read'],
		['/vendors', 'vendors.read'],
		['/vendors/123', 'vendors.read'],
		['/requests/', 'requests.read'],
		['/findings', 'findings.read'],
		['/activity', 'audit.read'],
		['/settings', 'settings.read'],
		['/settings/profile', 'profile.own'],
		['/settings/api-tokens', 'api_tokens.own'],
		['/settings/users', 'users.read'],
		['/settings/users/new', 'users.manage'],
		['/settings/users/abc', 'users.manage'],
		['/vendors/new', 'vendors.write'],
		['/vendors/import', 'vendors.write'],
		['/vendors/abc/edit', 'vendors.write'],
		['/vendors/abc/edit/', 'vendors.write'],
		['/vendors/abc/activity', 'vendors.read'],
		['/requests/new', 'requests.create'],
		['/requests/abc', 'requests.read'],
		['/contracts/new', 'contracts.write'],
		['/contracts/abc/edit', 'contracts.write'],
		['/contracts/abc', 'contracts.read'],
		['/contracts/calendar', 'dashboard.read'],
		['/settings/playbook', 'contracts.read'],
		['/notifications', 'notifications.own'],
		['/settings/notifications', 'notifications.own'],
		['/settings/mail', 'mail.manage'],
		['/settings/mail/abc', 'mail.manage']
	])('%s needs %s', (path, permission) => {
		expect(requiredPermission(path)).toBe(permission);
	});

	it('leaves unknown pages to the 404 page', () => {
		expect(requiredPermission('/no-such-page')).toBeNull();
		expect(requiredPermission('/vendorsx')).toBeNull();
		expect(requiredPermission('/sign-in')).toBeNull();
	});
});

describe('isActive', () => {
	it('matches a section and its sub-pages; "/" only itself', () => {
		expect(isActive('/', '/')).toBe(true);
		expect(isActive('/', '/vendors')).toBe(false);
		expect(isActive('/settings', '/settings/users')).toBe(true);
		expect(isActive('/vendors', '/vendorsx')).toBe(false);
	});
});

describe('roleLabel', () => {
	it('names every role for people', () => {
		expect(roleLabel('admin')).toBe('Administrator');
		expect(roleLabel('risk_manager')).toBe('Risk manager');
		expect(roleLabel('legal')).toBe('Legal');
		expect(roleLabel('requester')).toBe('Department head');
		expect(roleLabel('auditor')).toBe('Auditor');
		expect(roleLabel('owner')).toBe('owner');
	});
});

describe('safeNext', () => {
	it.each([
		['/vendors', '/vendors'],
		['/vendors?tier=1&q=a%20b', '/vendors?tier=1&q=a%20b'],
		['/settings/users#top', '/settings/users#top'],
		['/a/../settings', '/settings'],
		['/', '/']
	])('keeps the same-site path %s', (raw, expected) => {
		expect(safeNext(raw)).toBe(expected);
	});

	it.each([
		[null],
		[''],
		['//evil.example'],
		['//evil.example/path'],
		['///evil.example'],
		['/\\evil.example'],
		['\\\\evil.example'],
		['http://evil.example'],
		['https:evil.example'],
		['http:/vendors'],
		['javascript:alert(1)'],
		['data:text/html,hi'],
		['vendors'],
		['/\tjavascript:alert(1)'],
		['/%0a/evil'.replace('%0a', '\n')],
		['/sign-in'],
		['/sign-in?next=/vendors'],
		['/api/v1/auth/logout']
	])('rejects %j', (raw) => {
		expect(safeNext(raw)).toBeNull();
	});
});

describe('signInUrl', () => {
	it('carries where the user was, except for home', () => {
		expect(signInUrl({ pathname: '/vendors', search: '?q=a' })).toBe('/sign-in?next=%2Fvendors%3Fq%3Da');
		expect(signInUrl({ pathname: '/' })).toBe('/sign-in');
		expect(signInUrl({ pathname: '/sign-in', search: '?next=/x' })).toBe('/sign-in');
		expect(signInUrl()).toBe('/sign-in');
	});
});

describe('tooManyAttemptsMessage', () => {
	it('rounds the wait up to whole minutes', () => {
		expect(tooManyAttemptsMessage(900)).toBe('Too many attempts. Try again in 15 minutes.');
		expect(tooManyAttemptsMessage(61)).toBe('Too many attempts. Try again in 2 minutes.');
		expect(tooManyAttemptsMessage(30)).toBe('Too many attempts. Try again in 1 minute.');
		expect(tooManyAttemptsMessage(null)).toBe('Too many attempts. Try again in a few minutes.');
	});
});
