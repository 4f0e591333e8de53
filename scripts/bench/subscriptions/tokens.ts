import { randomUUID } from "node:crypto";
import { AccessTokenIssuer } from "../../../subgraphs/identity/src/tokens/access-token.service.ts";
import { SigningKeys } from "../../../subgraphs/identity/src/tokens/signing-keys.service.ts";
import type { Person } from "./seed.ts";

/**
 * An access token per person, exactly as identity issues them (its own issuer, with the key
 * identity was given as JWT_PRIVATE_KEY), each with a session of its own. They outlive the run:
 * the gateway ends a subscription when its token expires.
 */
export async function mintAccessTokens(signingKeyPem: string, people: Person[]): Promise<string[]> {
  const issuer = new AccessTokenIssuer(await SigningKeys.fromPem(signingKeyPem, []), {
    issuer: "pulse-identity",
    audience: "pulse-api",
    ttlSeconds: 6 * 3600,
  });
  return Promise.all(
    people.map(
      async (person) =>
        (await issuer.issue({ accountId: person.id, role: "USER", sessionId: randomUUID() })).token,
    ),
  );
}
