# crmsec container: multi-stage, non-root, no compilers or build tools in the final image.
#   docker build -t crmsec .
#   docker run --rm -e CRMSEC_TOKEN -v "$PWD/out:/work" crmsec scan --platform salesforce --url https://acme.my.salesforce.com --out /work
# Fleet shards (docs/fleet.md): crmsec scan --targets /config/targets.yaml --shard "$JOB_COMPLETION_INDEX/4" --out ...
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY crmsec ./crmsec
COPY checks ./checks
COPY profiles ./profiles
COPY reports ./reports
# Build the wheel, then install it and its dependencies (binary wheels only: no compiler needed or shipped)
RUN python -m pip install build \
 && python -m build --wheel --outdir /dist \
 && python -m venv /opt/crmsec \
 && /opt/crmsec/bin/pip install --only-binary=:all: /dist/*.whl \
 && /opt/crmsec/bin/pip uninstall --yes pip setuptools wheel

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="crmsec" \
      org.opencontainers.image.description="Security and compliance audit scanner for CRM deployments"
ENV PATH=/opt/crmsec/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN groupadd --system --gid 10001 crmsec \
 && useradd --system --uid 10001 --gid crmsec --home-dir /work --shell /usr/sbin/nologin crmsec \
 && mkdir -p /work && chown crmsec:crmsec /work
COPY --from=build /opt/crmsec /opt/crmsec
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["crmsec"]
CMD ["--help"]
