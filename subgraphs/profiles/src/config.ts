import { env, loadConfig } from "@pulse/platform/server";
import { subgraphConfigSchema } from "@pulse/platform/subgraph";
import { z } from "zod";

/** The profiles subgraph's environment (its README has the table of variables). */
export const profilesConfigSchema = subgraphConfigSchema(4002, {
  /** An S3-compatible endpoint (MinIO, s3rver); AWS itself when absent. */
  S3_ENDPOINT: env.url.optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_BUCKET: z.string({ error: "required, the bucket photos are stored in" }).min(3),
  /** Static credentials; without them the AWS SDK's default chain (role, profile, ...) applies. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and s3rver need. */
  S3_FORCE_PATH_STYLE: z.stringbool().default(false),
  /** Serve photos from this base URL (`<base>/<key>`) instead of presigned S3 URLs. */
  PHOTO_CDN_BASE_URL: env.url.optional(),
  /** People whose card (profile and visible photos) each process keeps in memory. */
  PROFILE_CACHE_ENTRIES: z.coerce.number().int().positive().default(50_000),
  /** The most a cached card may lag a change whose invalidation was lost (Redis down). */
  PROFILE_CACHE_TTL_SECONDS: z.coerce.number().positive().default(60),
});

export type ProfilesConfig = z.infer<typeof profilesConfigSchema>;

/** Reads and validates the environment; exits naming every bad variable. */
export const loadProfilesConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(profilesConfigSchema, source);
