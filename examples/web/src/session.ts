import { createPulseClient, type SessionTokens, type TokenStore } from "@pulse/client";
import { apiUrl } from "./config.ts";

const STORED_TOKENS = "pulse.tokens";

/** The session's tokens in sessionStorage: one session per tab, gone when the tab closes. */
const sessionTokens: TokenStore = {
  get: () => {
    const stored = sessionStorage.getItem(STORED_TOKENS);
    return stored ? (JSON.parse(stored) as SessionTokens) : null;
  },
  set: (tokens) => {
    if (tokens) sessionStorage.setItem(STORED_TOKENS, JSON.stringify(tokens));
    else sessionStorage.removeItem(STORED_TOKENS);
  },
};

export const api = createPulseClient({
  url: apiUrl(),
  tokens: sessionTokens,
  onSignedOut: () => (location.hash = "#/sign-in"),
});

export const isSignedIn = () => api.tokens.get() !== null;
