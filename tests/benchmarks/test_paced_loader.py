"""The benchmark's paced loader (benchmarks.bench_http.run_paced) measures "p99 at that rate" of
issue #19: requests start on a fixed schedule, and a request's latency counts from when it was
due, so a server slower than the rate shows the queue it builds (no coordinated omission)."""

import http.server
import threading
import time

import pytest

from benchmarks.bench_http import run_paced


@pytest.fixture
def server():
    """A local HTTP server answering every GET after `delay[0]` seconds, one request at a time."""
    delay = [0.0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK wait

        def do_GET(self):
            time.sleep(delay[0])
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)  # one request at a time
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/", delay
    httpd.shutdown()
    httpd.server_close()


def test_a_server_that_keeps_up_is_measured_at_the_rate(server):
    url, delay = server
    delay[0] = 0.002
    rate, _p50, _p95, _p99, errors, requests = run_paced(url, "t", 1.0, 40, connections=1)
    assert requests == 40 and errors == 0
    # the schedule, not as fast as possible (the last request is due 0.975 s after the first);
    # no lower bound and no latency bound: this must not depend on the machine's speed
    assert rate <= 40 / 0.975


def test_a_server_slower_than_the_rate_shows_the_queue_it_builds(server):
    url, delay = server
    delay[0] = 0.05  # 20 requests a second at most, asked for 40
    _rate, _p50, _p95, p99, errors, requests = run_paced(url, "t", 1.0, 40, connections=1)
    assert requests == 40 and errors == 0
    # 40 answers take at least 2 s, the last one due at 0.975 s: it waited at least 1 s (a closed
    # loop such as wrk's would report about 50 ms for every request)
    assert p99 > 500
