/**
 * The generated Prisma client for every subgraph's schema. Subgraphs construct it through
 * `createPrismaClient` in `@pulse/platform`, which wires the pg driver adapter.
 */
export * from "../generated/client.ts";
