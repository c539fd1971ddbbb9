# ccplane: a multi-stage build. The builder compiles the dependencies in a layer of their own (from
# Cargo.toml and Cargo.lock with a stand-in src/), so changing the source rebuilds only the crate.
# The runtime image is debian slim with CA certificates and a non-root user.
#
#   docker build -t ccplane .
#   docker run --rm -p 8080:8080 -e DATABASE_URL=postgres://user:pass@host:5432/ccplane ccplane

FROM rust:1.95-bookworm AS builder
WORKDIR /build
# Queries are checked at run time and migrations are embedded by `sqlx::migrate!` from the files,
# so no database is needed to build; offline mode makes sure none is looked for.
ENV SQLX_OFFLINE=true \
    CARGO_TERM_COLOR=never

# Dependencies only: a stand-in library and binary with the real manifest and lock file.
# The workspace has two crates: ccplane and the emulator it embeds (emulator/).
COPY Cargo.toml Cargo.lock ./
COPY emulator/Cargo.toml ./emulator/
RUN mkdir src emulator/src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs emulator/src/lib.rs \
    && cargo build --release --locked --bin ccplane \
    && rm -rf src emulator/src target/release/deps/ccplane* target/release/deps/libccplane* \
        target/release/.fingerprint/ccplane*

# The crate itself: `src/` plus what it embeds at compile time (schemas/ and the fixtures, which
# are the OpenAPI examples, by include_str!; migrations/ by sqlx::migrate!).
COPY schemas ./schemas
COPY tests/fixtures ./tests/fixtures
COPY migrations ./migrations
COPY emulator/src ./emulator/src
COPY src ./src
# COPY keeps the files' old modification times; touch them so cargo does not take the stand-in's
# build for current.
RUN touch src/main.rs src/lib.rs emulator/src/lib.rs \
    && cargo build --release --locked --bin ccplane \
    && cp target/release/ccplane /usr/local/bin/ccplane

FROM debian:bookworm-slim AS runtime
# ca-certificates: TLS to AWS and to a Postgres that requires it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 ccplane \
    && useradd --system --uid 10001 --gid ccplane --no-create-home --shell /usr/sbin/nologin ccplane
COPY --from=builder /usr/local/bin/ccplane /usr/local/bin/ccplane
# Numeric, so that Kubernetes' runAsNonRoot can check it.
USER 10001:10001
EXPOSE 8080
# No HEALTHCHECK: the slim image has no HTTP client, and orchestrators probe /healthz and /readyz
# over HTTP themselves (Kubernetes probes, a load balancer's health check).
ENTRYPOINT ["ccplane"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
