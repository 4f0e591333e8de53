/**
 * Headers on every gateway response. The API answers JSON, so nothing may frame it, sniff its
 * type, load anything on its behalf or learn where its callers came from; in production browsers
 * are also told to use HTTPS only. The development explorer pages send their own content policy
 * ({@link EXPLORER_CONTENT_SECURITY_POLICY}, {@link SANDBOX_CONTENT_SECURITY_POLICY}).
 */
export function securityHeaders(development: boolean): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": API_CONTENT_SECURITY_POLICY,
    ...(development ? {} : { "strict-transport-security": "max-age=31536000; includeSubDomains" }),
  };
}

const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** What every explorer page shares: nothing from elsewhere, no framing, no forms, no plugins. */
const EXPLORER_BASE = [
  "default-src 'none'",
  "script-src 'self'",
  // The endpoint over HTTP and WebSocket ('self' matches ws: and wss: on this host).
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/**
 * GraphiQL, bundled by the gateway: its scripts and Monaco's workers from this origin; Monaco
 * and React set inline styles, and Monaco's icon font and images are data: URLs.
 */
export const EXPLORER_CONTENT_SECURITY_POLICY = [
  ...EXPLORER_BASE,
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src data:",
  "img-src 'self' data:",
].join("; ");

/**
 * Apollo Sandbox: its embedding script from this origin, the application in an iframe from
 * Apollo, which hands requests to this page (they go from here, hence connect-src 'self').
 */
export const SANDBOX_CONTENT_SECURITY_POLICY = [
  ...EXPLORER_BASE,
  "frame-src https://sandbox.embed.apollographql.com",
  "style-src 'self' 'unsafe-inline'",
].join("; ");
