"""Gunicorn settings for the portal (docker-compose `web`, the systemd unit, the topology test).

Every value can be overridden on the command line (`--workers 2 --bind 127.0.0.1:9000`) or
through the GUNICORN_* variables below; see docs/OPERATIONS.md, "配置".
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# 2 × CPU + 1 processes (gunicorn's rule of thumb), each with a few threads: the portal waits
# on the database, and with sync workers a burst of residents answering a survey by QR code
# queued the staff's list requests behind it (issue #18: staff p95 4.6× idle with 2 sync
# workers, 1.6–2.5× with 2 × 4 threads, on a loaded 2-core machine).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Not preloaded (preload_app): a worker recycled below imports Django and the portal again
# (~0.9 s of CPU instead of ~0.4 s), but with the application preloaded in the master the staff's
# list p95 under issue #18's burst of residents was 2.6× idle (twice, nation scale) against 1.4×
# without — not understood yet; measured by `bench_nation.py --only residents`.
# Recycle workers now and then so a slow leak never becomes an outage. Every 10,000 requests:
# at 2,000, a cached board at ~500 requests/s restarted a worker every 4 s (issue #19).
max_requests = 10000
max_requests_jitter = 1000
# Heartbeat files in memory, not on an overlay filesystem that may stall (Docker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The reverse proxy in front sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
