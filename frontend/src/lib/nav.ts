import type { IconName } from './components/Icon.svelte';

export interface NavItem {
	href: string;
	label: string;
	icon: IconName;
}

/** The app's sections, in sidebar order. */
export const NAV_ITEMS: readonly NavItem[] = [
	{ href: '/', label: 'Dashboard', icon: 'dashboard' },
	{ href: '/vendors', label: 'Vendors', icon: 'vendors' },
	{ href: '/requests', label: 'Requests', icon: 'requests' },
	{ href: '/assessments', label: 'Assessments', icon: 'assessments' },
	{ href: '/contracts', label: 'Contracts', icon: 'contracts' },
	{ href: '/findings', label: 'Findings', icon: 'findings' },
	{ href: '/settings', label: 'Settings', icon: 'settings' }
];

/** True when `pathname` is inside the section at `href` ("/" matches only itself). */
export function isActive(href: string, pathname: string): boolean {
	if (href === '/') return pathname === '/';
	return pathname === href || pathname.startsWith(`${href}/`);
}
