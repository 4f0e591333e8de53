import { badUserInput } from "@pulse/platform/server";

const SPECIALS = "!@#$%^&*";
/** argon2 hashes any length, but an unbounded input is a cheap denial of service. */
const MAX_LENGTH = 128;

/**
 * The contract's password rule: 8 or more characters with an upper-case letter, a lower-case
 * letter, a digit and one of `!@#$%^&*`.
 *
 * @param field the input path named in the error, such as `input.password`.
 * @throws BAD_USER_INPUT naming what is missing.
 */
export function assertPasswordPolicy(password: string, field: string): void {
  const missing: string[] = [];
  if (password.length < 8) missing.push("at least 8 characters");
  if (!/[A-Z]/.test(password)) missing.push("an upper-case letter");
  if (!/[a-z]/.test(password)) missing.push("a lower-case letter");
  if (!/[0-9]/.test(password)) missing.push("a digit");
  if (![...password].some((char) => SPECIALS.includes(char))) missing.push(`one of ${SPECIALS}`);
  if (password.length > MAX_LENGTH) {
    throw badUserInput(field, `Password must be at most ${MAX_LENGTH} characters`);
  }
  if (missing.length > 0) {
    throw badUserInput(field, `Password needs ${missing.join(", ")}`);
  }
}
