# syntax=docker/dockerfile:1
# Custos API image: the HTTP API, the dashboard it serves at / and the migration runner (the compose
# file's one-shot `migrate` service runs this image with another command).
# Build from the repository root:  docker build -f docker/api.Dockerfile -t custos-api .

# Node 22 LTS (package.json `engines`; development also runs on Node 20.19+, see the README).
ARG NODE_IMAGE=node:22-bookworm-slim

# Every workspace's package.json and the lockfile, and nothing else, so the `npm ci` layers below are
# reused until the dependencies change (new workspaces are picked up without editing this file).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find . -name package.json -not -path '*/node_modules/*' -not -path './package.json' \
      -exec cp --parents '{}' /manifests/ ';'

# Build: all dependencies, then the server (swc) and the dashboard (vite) into dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies only.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CUSTOS_DASHBOARD_DIR=/app/dist/apps/dashboard
WORKDIR /app
# Code and dependencies stay owned by root: the process (user `node`) can read them, not change them.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Slim images have no curl: ask Node itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
