/**
 * Headers on every gateway response. The API answers JSON, so nothing may frame it, sniff its
 * type or learn where its callers came from. In development the landing page loads Apollo
 * Sandbox from Apollo's CDN, so the content policy there only forbids framing; in production it
 * allows nothing, and browsers are told to use HTTPS only.
 */
export function securityHeaders(development: boolean): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": development
      ? "frame-ancestors 'none'"
      : "default-src 'none'; frame-ancestors 'none'",
    ...(development ? {} : { "strict-transport-security": "max-age=31536000; includeSubDomains" }),
  };
}
