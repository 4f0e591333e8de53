import path from "node:path";
import { defineConfig } from "prisma/config";

// The URL is only needed by the CLI commands that connect; `prisma generate` works without one.
export default defineConfig({
  schema: path.join(import.meta.dirname, "schema"),
  migrations: { path: path.join(import.meta.dirname, "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused" },
});
