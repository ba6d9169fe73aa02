# syntax=docker/dockerfile:1
# One image for the API, the scoring worker and the one-shot migration:
#   docker run IMAGE                                   the API (port 3000)
#   docker run IMAGE node --max-old-space-size=288 --max-semi-space-size=16 --single-threaded-gc --heap-growing-percent=100 dist/workers/scoring-worker.js   a worker
#   docker run IMAGE node dist/src/db/migrate-cli.js   apply pending migrations, then exit
# The base image is pinned to the full Node version the project is tested on (package.json
# engines); pin its digest too in a registry-connected build (`docker buildx imagetools inspect`).

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-data.mjs ./scripts/
COPY src ./src
COPY workers ./workers
COPY db ./db
RUN npm run build

FROM node:20.20.2-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="koblingsboks" \
      org.opencontainers.image.description="Cross-industry matchmaking for companies in regional industry clusters: API, scoring worker and migrations" \
      org.opencontainers.image.source="https://github.com/koblingsboks/koblingsboks" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.vendor="Koblingsboks"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# dockerfilelint rejects --start-period (its option parser stops at the hyphen); compose.yaml
# sets start_period for the services that need one.
HEALTHCHECK --interval=15s --timeout=3s --retries=4 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/server.js"]
