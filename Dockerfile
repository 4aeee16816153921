# Shortbreaks: one image for the web app, the worker and the management commands.
#   docker build -t shortbreaks .
#   docker run --env-file shortbreaks.env -p 8000:8000 shortbreaks            (web)
#   docker run --env-file shortbreaks.env shortbreaks shortbreaks db_worker   (worker)

FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend frontend
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=shortbreaks.settings.production \
    SHORTBREAKS_DATA_DIR=/var/lib/shortbreaks \
    SHORTBREAKS_STATIC_ROOT=/app/static
# pg_dump and pg_restore for `shortbreaks backup` and `restore`; Pango and a font for WeasyPrint's
# statement PDFs.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 \
    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/shortbreaks --create-home shortbreaks
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src src
COPY --from=frontend /build/src/shortbreaks/static/dist src/shortbreaks/static/dist
RUN pip install --no-cache-dir . \
    && SECRET_KEY=build-only-collectstatic-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
       shortbreaks collectstatic --noinput
USER shortbreaks
EXPOSE 8000
# Files stay in the container's data folder unless SHORTBREAKS_STORAGE=s3 (with the
# SHORTBREAKS_S3_* settings, docs/deployment.md): use that for more than one container.
ENV SHORTBREAKS_STORAGE=local
# The same check a load balancer makes: the database and the file store reachable.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "shortbreaks.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
