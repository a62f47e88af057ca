# syntax=docker/dockerfile:1
# Three stages: build the SPA with Node, build one static Go binary that
# embeds it, run it as a non-root user in a small image.

FROM node:22-bookworm-slim AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build && npm run size

FROM golang:1.26-bookworm AS binary
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=ui /src/frontend/dist/spa ./frontend/dist/spa
ARG VERSION=0.1.0
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X rampart/app.Version=${VERSION}" -o /out/rampart . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=binary /out/rampart /usr/local/bin/rampart
COPY --from=binary --chown=65532:65532 /out/data /data
ENV RAMPART_ADDR=:8080 \
    RAMPART_DATA_DIR=/data \
    RAMPART_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/rampart", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/rampart"]
CMD ["serve"]
