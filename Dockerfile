# One image for every Node service of the workspace (subgraphs, gateway, migrations). The
# compose service's command picks what runs. Services run their TypeScript with tsx, as in dev.
FROM node:20-slim

# Corepack is not reliable in CI and behind proxies; pin pnpm to the repo's packageManager.
RUN npm install -g pnpm@10.34.8

WORKDIR /app
COPY . .
# Full install (dev dependencies too: tsx runs the services). Its postinstall generates the
# Prisma client (`pnpm db:generate`, offline), which needs the sources copied above.
RUN pnpm install --frozen-lockfile

USER node
