import { z } from "zod";
import { parseClusterUrl } from "../data/redis-url.ts";

/**
 * Parses the process environment against a zod schema. When any variable is missing or invalid,
 * prints one line naming every offending variable and exits, so a misconfigured process never
 * starts half-working.
 *
 * @param schema the variables this process reads, with their defaults.
 * @param env the environment to read; defaults to `process.env`.
 */
export function loadConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  console.error(`Invalid configuration: ${describeConfigErrors(result.error)}`);
  process.exit(1);
}

/** One line: `NAME: problem; OTHER: problem`. */
export function describeConfigErrors(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`)
    .join("; ");
}

/** Reusable variable definitions, so every process names and validates them the same way. */
export const env = {
  nodeEnv: z.enum(["development", "test", "production"]).default("development"),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  /**
   * A port of its own for /metrics (0: any free one), so that a network policy can open it to
   * the monitoring namespace alone; unset, /metrics is served on the public port.
   */
  metricsPort: z.coerce.number().int().min(0).max(65535).optional(),
  postgresUrl: z
    .string({ error: "required, a postgresql:// connection string" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string"),
  /** One server (`redis://`, `rediss://`) or a cluster (`redis+cluster://host:port,host:port`). */
  redisUrl: z
    .string({ error: "required, a redis:// or redis+cluster:// connection string" })
    .regex(
      /^rediss?(\+cluster)?:\/\//,
      "must be a redis://, rediss:// or redis+cluster:// connection string",
    )
    .superRefine((url, context) => {
      try {
        parseClusterUrl(url);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  /** Prefix for every Redis key and channel, so environments can share one server. */
  redisPrefix: z
    .string()
    .regex(/^[\w:.-]*$/, "letters, digits, '_', '-', '.' and ':' only")
    .default("pulse:"),
  /** The secret the gateway signs forwarded identities with; at least 32 bytes. */
  gatewaySecret: z
    .string({
      error: "required, a secret of at least 32 characters shared by gateway and subgraphs",
    })
    .min(32, "must be at least 32 characters"),
  url: z.url(),
};
