# One image for the three application services of docker-compose.yml: web (gunicorn),
# worker (celery worker) and beat (celery beat). See docs/OPERATIONS.md.
#
#   docker compose build && docker compose up -d
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    MEDIA_ROOT=/var/lib/portal/media

# tzdata: TIME_ZONE is Asia/Shanghai and recent slim images may ship no zoneinfo.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, from pyproject.toml only: this layer is rebuilt when they change.
# [project].dependencies are the runtime pins; the dev extra (pytest, playwright) stays out.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# Non-root user; media and the beat schedule live on volumes it owns (named volumes take
# the ownership of the directory they are first mounted on).
RUN groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin portal \
 && mkdir -p /var/lib/portal/media /var/lib/portal/beat \
 && chown -R portal:portal /var/lib/portal

COPY manage.py ./
COPY config/ config/
COPY portal/ portal/
COPY communities/ communities/
COPY projects/ projects/
COPY residents/ residents/
COPY acceptance/ acceptance/
COPY subsidies/ subsidies/
COPY supervision/ supervision/
COPY dashboards/ dashboards/
COPY demo/ demo/
COPY policies/ policies/
COPY templates/ templates/
COPY static/ static/
COPY fixtures/ fixtures/

# Static files are collected once, at build, with the production storage (hashed and
# compressed names). The key below exists only for this command; the containers get theirs
# from the environment and refuse to start without one.
RUN DEBUG=false SECRET_KEY=build-only-collectstatic-not-a-secret \
        python manage.py collectstatic --noinput --verbosity 0 \
 && chmod 0755 config/deploy/entrypoint.sh

USER portal
EXPOSE 8000

# web: migrate, load reference data, then gunicorn. worker and beat override the command.
CMD ["config/deploy/entrypoint.sh", "gunicorn", "-c", "config/deploy/gunicorn.conf.py"]
