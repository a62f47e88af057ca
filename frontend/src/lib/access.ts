// Who may see what in the web app, derived from the permission strings in `Me.permissions`.
// The server enforces every rule again; this only decides what to show.
import type { IconName } from './components/Icon.svelte';
import type { Role } from './identity';

export const ROLES: readonly Role[] = ['admin', 'risk_manager', 'legal', 'requester', 'auditor'];

const ROLE_LABELS: Record<Role, string> = {
	admin: 'Administrator',
	risk_manager: 'Risk manager',
	legal: 'Legal',
	requester: 'Department head',
	auditor: 'Auditor'
};

const ROLE_DESCRIPTIONS: Record<Role, string> = {
	admin: 'Everything, including users, settings and the audit trail.',
	risk_manager: 'Runs the vendor program: triage, assessments, findings, decisions.',
	legal: 'Reviews contracts and their terms.',
	requester: 'Requests new vendors and follows their own requests.',
	auditor: 'Reads everything, including the audit trail; changes nothing.'
};

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** "risk_manager" -> "Risk manager"; an unknown role is shown as sent. */
export function roleLabel(role: string): string {
	return isRole(role) ? ROLE_LABELS[role] : role;
}

export function roleDescription(role: string): string {
	return isRole(role) ? ROLE_DESCRIPTIONS[role] : '';
}

export interface NavItem {
	href: string;
	label: string;
	icon: IconName;
	permission: string;
	/** The secondary group at the bottom of the sidebar. */
	secondary?: boolean;
}

/** The app's sections in sidebar order, each with the permission that shows it. */
export const NAV_ITEMS: readonly NavItem[] = [
	{ href: '/', label: 'Dashboard', icon: 'dashboard', permission: 'dashboard.read' },
	{ href: '/vendors', label: 'Vendors', icon: 'vendors', permission: 'vendors.read' },
	{ href: '/requests', label: 'Requests', icon: 'requests', permission: 'requests.read' },
	{ href: '/assessments', label: 'Assessments', icon: 'assessments', permission: 'assessments.read' },
	{ href: '/contracts', label: 'Contracts', icon: 'contracts', permission: 'contracts.read' },
	{ href: '/findings', label: 'Findings', icon: 'findings', permission: 'findings.read' },
	{ href: '/incidents', label: 'Incidents', icon: 'alert', permission: 'incidents.read' },
	{ href: '/activity', label: 'Activity', icon: 'activity', permission: 'audit.read', secondary: true },
	{ href: '/settings', label: 'Settings', icon: 'settings', permission: 'settings.read', secondary: true }
];

/** The sections a user with `permissions` sees, in order. */
export function navFor(permissions: Iterable<string>): NavItem[] {
	const have = new Set(permissions);
	return NAV_ITEMS.filter((item) => have.has(item.permission));
}

/** True when `pathname` is inside the section at `href` ("/" matches only itself). */
export function isActive(href: string, pathname: string): boolean {
	if (href === '/') return pathname === '/';
	return pathname === href || pathname.startsWith(`${href}/`);
}

/** Routes and the permission each needs; the first match wins, so specific paths come first. */
const ROUTE_PERMISSIONS: readonly { path: string; prefix?: boolean; pattern?: RegExp; permission: string }[] = [
	{ path: '/vendors/new', permission: 'vendors.write' },
	{ path: '/vendors/dora', permission: 'dora.read' },
	{ path: '/vendors/import', permission: 'vendors.write' },
	{ path: '/vendors/*/edit', pattern: /^\/vendors\/[^/]+\/edit$/, permission: 'vendors.write' },
	{ path: '/requests/new', permission: 'requests.create' },
	{ path: '/assessments/new', permission: 'assessments.write' },
	{ path: '/contracts/new', permission: 'contracts.write' },
	{ path: '/contracts/*/edit', pattern: /^\/contracts\/[^/]+\/edit$/, permission: 'contracts.write' },
	{ path: '/contracts/calendar', permission: 'dashboard.read' },
	{ path: '/incidents/new', permission: 'incidents.manage' },
	{ path: '/settings/questionnaires', prefix: true, permission: 'assessments.read' },
	{ path: '/settings/profile', permission: 'profile.own' },
	{ path: '/settings/security', permission: 'profile.own' },
	{ path: '/settings/api-tokens', permission: 'api_tokens.own' },
	{ path: '/settings/notifications', permission: 'notifications.own' },
	{ path: '/settings/mail', prefix: true, permission: 'mail.manage' },
	{ path: '/notifications', permission: 'notifications.own' },
	{ path: '/settings/users', permission: 'users.read' },
	{ path: '/settings/risk-model', permission: 'settings.read' },
	{ path: '/settings/dora', permission: 'settings.read' },
	{ path: '/settings/custom-fields', permission: 'custom_fields.read' },
	{ path: '/settings/playbook', permission: 'contracts.read' },
	{ path: '/settings/users/', prefix: true, permission: 'users.manage' },
	{ path: '/settings', permission: 'settings.read' },
	{ path: '/activity', prefix: true, permission: 'audit.read' },
	...NAV_ITEMS.filter((item) => item.href !== '/settings' && item.href !== '/activity').map(
		(item) => ({ path: item.href, prefix: item.href !== '/', permission: item.permission })
	)
];

/**
 * The permission the page at `pathname` needs, or null when it needs none beyond being signed
 * in (unknown paths fall through to the 404 page).
 */
export function requiredPermission(pathname: string): string | null {
	const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
	for (const route of ROUTE_PERMISSIONS) {
		if (route.pattern) {
			if (route.pattern.test(path)) return route.permission;
			continue;
		}
		if (path === route.path) return route.permission;
		if (route.prefix && path.startsWith(route.path.endsWith('/') ? route.path : `${route.path}/`)) {
			return route.permission;
		}
	}
	return null;
}

/** Where a user lands after signing in without a `next`: their first section. */
export function homeFor(permissions: Iterable<string>): string {
	return navFor(permissions)[0]?.href ?? '/settings/profile';
}

export const SIGN_IN_PATH = '/sign-in';

/**
 * The `next` parameter made safe to navigate to: only a same-site absolute path
 * ("/vendors?tier=1"). Anything that could leave the site ("//evil.example",
 * "https://…", "/\evil", "javascript:…") or loop back to sign-in gives null.
 */
export function safeNext(raw: string | null | undefined): string | null {
	if (!raw) return null;
	// Control characters and backslashes: browsers strip or normalise them into "//" tricks.
	if (/[\u0000-\u001f\u007f\\]/.test(raw)) return null;
	if (!raw.startsWith('/') || raw.startsWith('//')) return null;
	let url: URL;
	try {
		url = new URL(raw, 'http://rampart.invalid');
	} catch {
		return null;
	}
	if (url.origin !== 'http://rampart.invalid') return null;
	if (url.pathname === SIGN_IN_PATH || url.pathname.startsWith(`${SIGN_IN_PATH}/`)) return null;
	if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return null;
	return url.pathname + url.search + url.hash;
}

/** `/sign-in?next=<where the user was>`; the next is left out for the home page. */
export function signInUrl(current?: { pathname: string; search?: string; hash?: string }): string {
	if (!current) return SIGN_IN_PATH;
	const next = safeNext(current.pathname + (current.search ?? '') + (current.hash ?? ''));
	if (!next || next === '/') return SIGN_IN_PATH;
	return `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`;
}

/** The 429 message: "Too many attempts. Try again in 5 minutes." */
export function tooManyAttemptsMessage(retryAfterSeconds: number | null): string {
	if (retryAfterSeconds === null || retryAfterSeconds <= 0) {
		return 'Too many attempts. Try again in a few minutes.';
	}
	const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
	return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}
