// Rampart's UI is a single-page app: nothing renders on a server and nothing is prerendered.
// The Go binary answers index.html for every non-API path and the router takes over here.
export const ssr = false;
export const prerender = false;
