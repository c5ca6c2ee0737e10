# syntax=docker/dockerfile:1
# Jifen server image: the compiled server (server/dist), the H5 client (client/dist/h5) and production
# dependencies only, run as the unprivileged `node` user. Build: `docker compose build` (see docs/deploy.md).
# Node 22 and 24 are the supported LTS lines (package.json engines); pick one with --build-arg NODE_VERSION=24.
ARG NODE_VERSION=22

# 1. Full install and build: TypeScript check + esbuild bundle of the server, Taro/webpack build of the H5 client.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:server && npm run build:h5

# 2. Production dependencies of the server alone (no client, no dev tools): the runtime's node_modules.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --omit=dev --workspace=server --no-audit --no-fund

# 3. Runtime: no compiler, no npm cache, no sources.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/shared/package.json ./shared/
COPY --from=build /app/server/package.json ./server/
COPY --from=build /app/server/dist ./server/dist
COPY --from=build /app/client/dist/h5 ./client/dist/h5
COPY --from=build /app/config ./config
# The data folder is the only place the server writes (SQLite file, if one is used); owned by `node`.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "server/dist/main.js"]
