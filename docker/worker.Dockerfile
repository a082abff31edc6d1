# syntax=docker/dockerfile:1
# Custos worker image: the BullMQ processors and schedulers. No HTTP port.
# Build from the repository root:  docker build -f docker/worker.Dockerfile -t custos-worker .
# The stages up to `prod-deps` are the same as in api.Dockerfile, so one builder reuses their cache.

# Node 22 LTS (package.json `engines`; development also runs on Node 20.19+, see the README).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find . -name package.json -not -path '*/node_modules/*' -not -path './package.json' \
      -exec cp --parents '{}' /manifests/ ';'

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
# The server build without the dashboard (the worker serves no pages).
COPY --from=build /app/dist/apps/worker ./dist/apps/worker
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/migrations ./dist/migrations
USER node
CMD ["node", "dist/apps/worker/src/main.js"]
