# scrawl: reads handwritten notes over HTTP.
# Debian slim, not Alpine: onnxruntime-node ships glibc binaries only.

FROM node:20-slim AS build
WORKDIR /app
# onnxruntime-node's install script would fetch CUDA from outside; the CPU build it ships is all we
# use (.npmrc runs no dependency install scripts at all; this says the same to older npm).
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compile src/ to dist/, leave out the evaluation code (development only), then drop the dev tools.
RUN npm ci --no-audit --no-fund && npm run build && rm -rf dist/evaluation && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    HOST=0.0.0.0 \
    PORT=3000 \
    # Worker threads each get glibc arenas; two keep memory flat under load.
    MALLOC_ARENA_MAX=2 \
    # onnxruntime-node otherwise keeps a telemetry event store in ~/.cache (and is built to upload it over HTTPS).
    ORT_DISABLE_TELEMETRY=1
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY models ./models
COPY public ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, so SIGTERM reaches node and in-flight requests finish before it exits.
CMD ["node", "dist/bin/server.js"]
