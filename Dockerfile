# AB Calicritters: the standalone server (`calicritters serve`) and the `calicritters` CLI in one image.
# Build: docker build -t ab-calicritters .   Run and configure: docs/DEPLOY.md

# ---- build: install everything, compile the packages and the dashboard bundle, then cut a production tree ----
FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@12.4.2
WORKDIR /src

# The lockfile alone decides what is downloaded: this layer is reused until a dependency changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
RUN pnpm fetch

COPY . .
RUN pnpm install --frozen-lockfile --offline \
 && pnpm run build \
 && pnpm --filter @ab-calicritters/cli deploy --prod /out

# ---- runtime: Node, the CLI's compiled code and its production dependencies; no pnpm, compilers or sources ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data/pglite
WORKDIR /app

# Owned by root and read-only for the user the server runs as.
COPY --from=build /out ./
# The embedded database (used when DATABASE_URL is unset) lives in /data/pglite, its lock file beside it in /data.
RUN chmod 0755 dist/bin.js \
 && ln -s /app/dist/bin.js /usr/local/bin/calicritters \
 && mkdir -p /data \
 && chown node:node /data
VOLUME ["/data"]

USER node
EXPOSE 3000

# No curl in slim images: Node 20's fetch asks GET /health, which also pings the database (503 when it is down).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# serve migrates on start and stops cleanly on SIGTERM (SHUTDOWN_TIMEOUT_MS). Any other command runs the same way:
# docker run --rm -e DATABASE_URL=… ab-calicritters calicritters rollup --job all
CMD ["calicritters", "serve"]
