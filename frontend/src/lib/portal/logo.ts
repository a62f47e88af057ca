// The vendor portal's logo, set in Settings: shown to vendors beside the asking company's name.
import { del, get, upload } from '../api';

export interface PortalLogo {
	filename: string;
	content_type: 'image/png' | 'image/jpeg';
	size: number;
	updated_at: string;
	url: string;
}

/** Largest logo the server takes. */
export const MAX_LOGO_BYTES = 512 * 1024;

export async function getPortalLogo(): Promise<PortalLogo | null> {
	return (await get<{ logo: PortalLogo | null }>('/settings/portal-logo')).logo;
}

export async function setPortalLogo(file: File): Promise<PortalLogo | null> {
	const form = new FormData();
	form.append('file', file);
	return (await upload<{ logo: PortalLogo | null }>('/settings/portal-logo', form)).logo;
}

export function removePortalLogo(): Promise<void> {
	return del<void>('/settings/portal-logo');
}

/** Why a chosen file will not do as a logo, before sending it; null when it may. */
export function logoProblem(file: File): string | null {
	if (file.size > MAX_LOGO_BYTES) return `${file.name} is larger than 512 KB; choose a smaller image.`;
	if (file.type && file.type !== 'image/png' && file.type !== 'image/jpeg') return `${file.name} is not a PNG or JPEG image.`;
	return null;
}

/** Where the portal behind a link shows the logo. */
export function portalLogoUrl(token: string): string {
	return `/api/v1/portal/${encodeURIComponent(token)}/logo`;
}
