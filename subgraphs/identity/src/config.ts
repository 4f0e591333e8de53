import { env, loadConfig } from "@pulse/platform/server";
import { subgraphConfigSchema } from "@pulse/platform/subgraph";
import { z } from "zod";

/** PEM values arrive from env files with their newlines escaped. */
const pem = (what: string) =>
  z
    .string({ error: `required, ${what}` })
    .transform((value) => value.replace(/\\n/g, "\n"))
    .refine((value) => value.includes("-----BEGIN PRIVATE KEY-----"), `must be ${what}`);

export const identityConfigSchema = subgraphConfigSchema(4001, {
  /** Ed25519 private key (PKCS#8 PEM) that signs access tokens. */
  JWT_PRIVATE_KEY: pem("an Ed25519 private key in PKCS#8 PEM"),
  /** Public JWKs of retired signing keys, still published until their tokens expire. */
  JWT_PREVIOUS_PUBLIC_KEYS: z
    .string()
    .default("[]")
    .transform((value, ctx) => {
      try {
        return z.array(z.record(z.string(), z.unknown())).parse(JSON.parse(value));
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON array of public JWKs" });
        return z.NEVER;
      }
    }),
  JWT_ISSUER: z.string().default("pulse-identity"),
  JWT_AUDIENCE: z.string().default("pulse-api"),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  /** Base URL of the app, for links in email. */
  APP_URL: env.url.default("http://localhost:3000"),
});

export type IdentityConfig = z.infer<typeof identityConfigSchema>;

export const loadIdentityConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(identityConfigSchema, source);
