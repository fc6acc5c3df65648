# syntax=docker/dockerfile:1
# Node: the current LTS line (26) by default; another supported one with --build-arg NODE_VERSION=24
# (or 22). Debian 13 (trixie): Debian 12's regular security support ended in June 2026.
ARG NODE_VERSION=26

# Build stage: compile TypeScript, the dashboard and the native sqlite3 addon.
FROM node:${NODE_VERSION}-trixie-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY dashboard ./dashboard
RUN npm run build && npm prune --omit=dev

# Runtime stage: no compilers, non-root user, data under /app/data (mount a volume there).
FROM node:${NODE_VERSION}-trixie-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json LICENSE ./
COPY --from=build /app/dashboard/dist ./dashboard/dist
# `switchyard health | stats | migrate | migration:show | migration:revert` (the compiled CLI;
# the migrations are compiled into dist/ too), e.g. `docker compose exec gateway switchyard stats`.
RUN chmod +x dist/cli/main.js && ln -s /app/dist/cli/main.js /usr/local/bin/switchyard \
  && mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Young-generation cap: see src/v8-tuning.ts.
CMD ["node", "--max-semi-space-size=4", "dist/main.js"]
