import { EXPLORER_CONFIG_ELEMENT_ID, type ExplorerConfig } from "../explorer-config.ts";

/** Reads the page's configuration block; a page without one is a bug of the gateway. */
export function readExplorerConfig(): ExplorerConfig {
  const element = document.getElementById(EXPLORER_CONFIG_ELEMENT_ID);
  if (!element?.textContent) throw new Error(`#${EXPLORER_CONFIG_ELEMENT_ID} is missing`);
  return JSON.parse(element.textContent) as ExplorerConfig;
}

/** The endpoint's absolute URLs: HTTP for queries and mutations, WebSocket for subscriptions. */
export function endpointUrls(endpoint: string): { http: string; ws: string } {
  const http = new URL(endpoint, window.location.href).href;
  return { http, ws: http.replace(/^http/, "ws") };
}
