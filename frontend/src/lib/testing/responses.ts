// For unit tests that stub fetch: the API's answers as Response objects.

/** A JSON answer; an error status is problem+json, as the API sends it. */
export function jsonResponse(body: unknown, status = 200, contentType = status >= 400 ? 'application/problem+json' : 'application/json'): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}
