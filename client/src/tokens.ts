/** A signed-in session's tokens, as `login`, `register` and `refreshSession` return them. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * Where the client keeps the session's tokens. The client reads them before every request and
 * connection, and writes them after each refresh (null when the session is over), so an app
 * may persist them wherever it likes.
 */
export interface TokenStore {
  get(): SessionTokens | null;
  set(tokens: SessionTokens | null): void;
}

/** Tokens kept in memory only, as long as the page or process lives. */
export function memoryTokens(initial: SessionTokens | null = null): TokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
  };
}
