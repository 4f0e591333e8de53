import argon2 from "argon2";

/**
 * argon2id at OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): the memory cost is
 * what makes offline guessing expensive, while one hash stays in the tens of milliseconds
 * (figures in bench/RESULTS.md, `pnpm bench:argon2`).
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password);
}

/** Whether a stored hash was made with other parameters and should be replaced on next login. */
export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a real verification when there is no account, so response times do not
 * reveal which emails are registered.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("no account has this password");
  await argon2.verify(await dummyHash, password);
  return false;
}
