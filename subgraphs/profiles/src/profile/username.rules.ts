/** Usernames: what people may pick, and the lower-cased key uniqueness and search use. */

/** Letters, digits, `_` and `.`, 3 to 30 of them; compared case-insensitively. */
export const USERNAME_PATTERN = /^[a-z0-9_.]{3,30}$/i;

/** The key a username is unique and searched by. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

/**
 * The range of keys that start with `prefix`, for an index range scan: every such key is
 * `>= from` and `< to` (the prefix with its last character incremented) in byte order.
 */
export function prefixRange(prefix: string): { from: string; to: string } {
  const last = prefix.charCodeAt(prefix.length - 1);
  return { from: prefix, to: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}
