import type { HandleClientError } from '@sveltejs/kit';

// SvelteKit logs every unexpected client error, including "Not found" for an unknown route.
// A mistyped URL is not a fault of the app: the 404 page says what happened, the console stays
// quiet. Anything else is still logged for whoever is debugging.
export const handleError: HandleClientError = ({ error, status, message }) => {
	if (status !== 404) console.error(error);
	return { message };
};
