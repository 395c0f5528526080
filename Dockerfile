# syntax=docker/dockerfile:1
# serial-fiction-bot in a container. Build and run (the store is a SQLite file in the volume):
#
#   docker build -t serial-fiction-bot .
#   docker run -d --name sfb --env-file .env -v sfb-data:/app/data serial-fiction-bot
#   docker stop sfb          # SIGTERM to the bot itself: it finishes what is in flight, exits within 9 s
#
# Checked by test/deploy-examples.test.ts (parsed, and its CMD run and stopped as Docker would);
# not built on CI, which has no Docker daemon.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when its prebuilt binary cannot be fetched.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends python3 make g++ \
	&& rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src src
COPY commands commands
RUN npx tsc -p . && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist/src dist/src
COPY --from=build /app/dist/commands dist/commands
# "type": "module" in package.json makes dist/*.js ES modules.
COPY package.json ./
COPY story story
RUN mkdir data && chown node:node data
VOLUME ["/app/data"]
USER node
STOPSIGNAL SIGTERM
# Exec form, node itself: docker stop's SIGTERM reaches the bot, not a shell or npm in between.
# The flags are those of `npm start` (package.json); the test keeps them equal.
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
