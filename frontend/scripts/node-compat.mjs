// SvelteKit 3 is written for Node 22.17+, and its build calls Promise.withResolvers (Node 22).
// The project's machines run Node 20.20, where that is the one missing piece the build, check
// and tests reach. npm scripts preload this file (NODE_OPTIONS=--import) so the build, and the
// worker threads SvelteKit starts for it, have it. Remove once the machines move to Node 22.
if (typeof Promise.withResolvers !== 'function') {
	Object.defineProperty(Promise, 'withResolvers', {
		configurable: true,
		writable: true,
		/** @this {PromiseConstructor} */
		value: function withResolvers() {
			/** @type {(value: unknown) => void} */
			let resolve = () => {};
			/** @type {(reason?: unknown) => void} */
			let reject = () => {};
			const promise = new this((/** @type {typeof resolve} */ res, /** @type {typeof reject} */ rej) => {
				resolve = res;
				reject = rej;
			});
			return { promise, resolve, reject };
		}
	});
}
