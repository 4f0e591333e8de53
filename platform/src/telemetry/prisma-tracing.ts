import { PrismaInstrumentation, registerInstrumentations } from "@prisma/instrumentation";
import { tracingStarted } from "./tracing.ts";

let registered = false;

/**
 * Prisma's own tracing (an operation span per query, a `prisma:client:db_query` span per SQL
 * statement with its text), once per process and only when it traces. Here rather than with the
 * other instrumentations, so that only processes that use Prisma load it: never the gateway.
 */
export function tracePrismaQueries(): void {
  if (registered || !tracingStarted()) return;
  registered = true;
  registerInstrumentations({
    // Serializing arguments and compiling the query plan: time spent in JS, not worth a span each.
    instrumentations: [
      new PrismaInstrumentation({
        ignoreSpanTypes: ["prisma:client:serialize", "prisma:client:compile"],
      }),
    ],
  });
}
