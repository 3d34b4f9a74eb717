#!/bin/sh
# Start of the web process (docker-compose `web`, or by hand): bring the schema and the
# reference data up to date, then replace this shell by the command given (gunicorn).
#
#   config/deploy/entrypoint.sh gunicorn -c config/deploy/gunicorn.conf.py
#
# Both steps are idempotent. With several web hosts, let one of them migrate
# (MIGRATE_ON_START=false on the others; docs/OPERATIONS.md, "升级").
set -eu

if [ "${MIGRATE_ON_START:-true}" = "true" ]; then
    python manage.py migrate --noinput
    python manage.py load_reference_data
fi

exec "$@"
