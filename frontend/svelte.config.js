import adapter from '@sveltejs/adapter-static';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		// SPA mode: every route renders in the browser; the Go binary serves dist/spa as-is and
		// answers index.html for any unknown non-/api path.
		adapter: adapter({
			pages: 'dist/spa',
			assets: 'dist/spa',
			fallback: 'index.html',
			precompress: false,
			strict: true
		}),
		appDir: '_app',
		typescript: {
			// Type-check the tooling around the app too (svelte-check reads this tsconfig).
			config(tsconfig) {
				tsconfig.include.push('../svelte.config.js', '../playwright.config.ts', '../scripts/**/*.mjs');
			}
		},
		// A fixed name keeps builds reproducible (and the bootstrap script's CSP hash stable for
		// the same source); the app does not poll for new deployments.
		version: { name: process.env.RAMPART_VERSION ?? 'dev', pollInterval: 0 },
		// SvelteKit adds the sha256 of its inline bootstrap <script> to script-src and writes the
		// policy into a <meta http-equiv> tag in index.html.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Stylesheets come from files only. Style attributes stay allowed: SvelteKit's route
				// announcer carries one, and Svelte sets them for dynamic styles.
				'style-src': ['self'],
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
