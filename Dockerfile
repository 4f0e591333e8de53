# syntax=docker/dockerfile:1
# Production images: one per service, all from this file. The build stage installs the workspace,
# compiles it (`pnpm build`) and deploys one package with its production dependencies only
# (`pnpm deploy --prod`); the runtime stage holds that folder and Node, and runs compiled
# JavaScript as the unprivileged `node` user under tini. Development keeps `pnpm dev` (tsx).
#
#   docker build --build-arg SERVICE=chat --build-arg PORT=4004 -t pulse-chat .
#   docker build --build-arg SERVICE=gateway --build-arg PORT=4000 -t pulse-gateway .
#   docker build --target migrate -t pulse-migrate .
#
# SERVICE is a workspace package without its scope: gateway, identity, profiles, discovery, chat,
# competitions or billing. docs/operations.md#containers has the details and measured sizes.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# Corepack is not reliable in CI and behind proxies; pin pnpm to the repo's packageManager.
RUN npm install -g pnpm@10.34.8
WORKDIR /src
COPY . .
# The install's postinstall generates the Prisma client (offline), which the build compiles.
RUN pnpm install --frozen-lockfile && pnpm build
# The migration job's folder: @pulse/db with its migrations and the WASM schema engine.
RUN pnpm --filter @pulse/db deploy --legacy --prod /out/db
# Declared late so that every service shares the layers above.
ARG SERVICE=gateway
RUN pnpm --filter "@pulse/${SERVICE}" deploy --legacy --prod /out/service

FROM ${NODE_IMAGE} AS base
# tini as PID 1 passes SIGTERM on to node, so the graceful shutdown runs, and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
# Workspace packages resolve to their compiled dist/ (their exports' "pulse-compiled" condition).
ENV NODE_ENV=production \
    NODE_OPTIONS=--conditions=pulse-compiled
WORKDIR /app
ENTRYPOINT ["/usr/bin/tini", "--"]

FROM base AS migrate
COPY --from=build /out/db /app
USER node
CMD ["node", "dist/src/cli/migrate.js"]

FROM base AS service
ARG PORT=4000
COPY --from=build /out/service /app
# The gateway's supergraph and trusted documents (@pulse/client's persisted-documents manifest; a
# ConfigMap replaces the supergraph on Kubernetes); unused by subgraphs.
COPY --from=build /src/schema/supergraph.graphql /src/client/src/generated/persisted-documents.json /app/schema/
ENV PORT=${PORT} \
    SUPERGRAPH_PATH=/app/schema/supergraph.graphql \
    TRUSTED_DOCUMENTS_PATH=/app/schema/persisted-documents.json
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A young generation of up to 64 MiB: fewer scavenges under subscription load (bench/RESULTS.md).
# The preload starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md).
CMD ["node", "--max-semi-space-size=64", "--import", "@pulse/platform/tracing", "dist/main.js"]
