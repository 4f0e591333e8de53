const STORED_API_URL = "pulse.apiUrl";

/**
 * The gateway's `/graphql`: `?api=` on the page (kept for the tab), else VITE_PULSE_API_URL at
 * build time, else the gateway `pnpm dev` runs.
 */
export function apiUrl(): string {
  const fromPage = new URLSearchParams(location.search).get("api");
  if (fromPage) sessionStorage.setItem(STORED_API_URL, fromPage);
  return (
    sessionStorage.getItem(STORED_API_URL) ??
    import.meta.env.VITE_PULSE_API_URL ??
    "http://localhost:4000/graphql"
  );
}
