"""Locust scenario (issue #18 item 4): residents answer one QR survey on their phones while staff
use the project list API. Driven by benchmarks/run_residents_load.py, which starts the server and
checks the database afterwards; run alone with

    SURVEY_TOKEN=... STAFF_TOKEN=... locust -f benchmarks/locust_residents.py --headless \
        -u 502 -r 8.4 -t 75s --host http://127.0.0.1:8000

Each simulated resident is one phone (its own cookie jar, so its own device cookie): it opens the
survey page once, answers once and then idles. Staff users (STAFF_USERS of them, fixed) page
through GET /api/projects/ with a token.
"""

import os
import re

from locust import HttpUser, between, constant, task

SURVEY_TOKEN = os.environ.get("SURVEY_TOKEN", "")
STAFF_TOKEN = os.environ.get("STAFF_TOKEN", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIRST_QUESTION = re.compile(r'type="radio" name="(q\d+)"')


class Resident(HttpUser):
    weight = 1
    wait_time = constant(3600)  # one answer each: after it the phone stays idle until the run ends


    @task
    def answer_once(self):
        path = f"/gongshi/s/{SURVEY_TOKEN}/"
        page = self.client.get(path, name="resident: open survey")
        # The portal (DEBUG off) marks its cookies Secure; a phone reaches it through the
        # deployment's TLS proxy and sends them back. Here the phone talks plain HTTP to gunicorn
        # on loopback, so its cookies are kept as not Secure to be sent back over http as well.
        for cookie in self.client.cookies:
            cookie.secure = False
        token, question = CSRF.search(page.text), FIRST_QUESTION.search(page.text)
        if not token or not question:
            return
        with self.client.post(path, {"csrfmiddlewaretoken": token.group(1), question.group(1): "满意"},
                              headers={"Referer": self.host + path}, name="resident: answer",
                              catch_response=True) as response:
            if response.status_code == 200 and "提交成功" in response.text:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class Staff(HttpUser):
    fixed_count = int(os.environ.get("STAFF_USERS", "2"))
    wait_time = between(0.2, 0.5)

    @task
    def project_list(self):
        self.client.get("/api/projects/", headers={"Authorization": f"Token {STAFF_TOKEN}"},
                        name="staff: GET /api/projects/")
