"""The load of bench/api_load.py (run by locust in its own process; configuration in the JSON file named by
BENCH_API_LOAD_CONFIG, written by api_load.py; every request's time goes to the file named there as "samples").

Users and what they do (weights: how many of the users are of each kind):
- window staff: the application list and details, the restriction search, the catalog; they decide the
  applications the applicants have signed (notify-and-commit: decided on the spot)
- supervisors: the case list and the restriction list
- the public: the published restriction list, the verification page of a document, and the login page (the
  trivial baseline)
- applicants (each a generated person with an account): apply → choose notify-and-commit → ask for a one-time
  code → sign with it; the mobile app's way, with an Idempotency-Key on every POST
"""

import collections
import json
import os
import random
import threading
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

CONFIG = json.loads(Path(os.environ["BENCH_API_LOAD_CONFIG"]).read_text())
WAIT = between(CONFIG["wait_min"], CONFIG["wait_max"])
CSRF = CONFIG["csrf"]
SIGNED: collections.deque[int] = collections.deque()  # signed by an applicant, waiting for window staff's decision
SAMPLES: list[tuple[float, str, float, int]] = []  # (started, name, ms, failed)
_verify_lock = threading.Lock()
_verify_next = [0.0]


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, start_time=None, **_kwargs):
    SAMPLES.append((start_time or time.time(), name, response_time, 1 if exception else 0))


@events.quitting.add_listener
def _dump(environment, **_kwargs):
    Path(CONFIG["samples"]).write_text(json.dumps({"signed_left": len(SIGNED), "samples": SAMPLES}))


class Session(HttpUser):
    abstract = True
    wait_time = WAIT
    sessions: list[str] = []

    def on_start(self):
        self.client.cookies.set("csrftoken", CSRF)
        if self.sessions:
            self.client.cookies.set("sessionid", random.choice(self.sessions))

    def get(self, url: str, name: str, expect=(200,)):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            return response

    def post(self, url: str, name: str, body=None, expect=(200, 201)):
        headers = {"X-CSRFToken": CSRF, "Idempotency-Key": str(uuid.uuid4()), "Referer": self.host}
        with self.client.post(url, json=body, name=name, headers=headers, catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code}: {response.text[:300]}")
                return None
            return response.json()


class WindowStaff(Session):
    weight = CONFIG["weights"]["window"]
    sessions = CONFIG["window_sessions"]

    @task(4)
    def application_list(self):
        page = random.choice((1, 1, 1, 2, 3))
        self.get(f"/api/applications/?page={page}", "read: GET /api/applications/ (staff inbox)")

    @task(4)
    def application_detail(self):
        self.get(f"/api/applications/{random.choice(CONFIG['application_ids'])}/",
                 "read: GET /api/applications/<id>/ (staff)")

    @task(2)
    def restriction_search(self):
        self.get(f"/api/restrictions/?q={random.choice(CONFIG['restriction_queries'])}",
                 "read: GET /api/restrictions/?q= (staff search)")

    @task(1)
    def matters(self):
        self.get("/api/matters/", "read: GET /api/matters/")

    @task(3)
    def decide(self):
        try:
            application_id = SIGNED.popleft()
        except IndexError:
            return self.application_list()
        self.post(f"/api/applications/{application_id}/decide/", "write: POST decide (staff)")


class Supervisor(Session):
    weight = CONFIG["weights"]["supervisor"]
    sessions = CONFIG["supervisor_sessions"]

    @task(3)
    def violations(self):
        self.get("/api/violations/", "read: GET /api/violations/ (supervisor)")

    @task(2)
    def restrictions(self):
        self.get("/api/restrictions/?state=active", "read: GET /api/restrictions/?state=active (supervisor)")


class Public(Session):
    weight = CONFIG["weights"]["public"]

    @task(3)
    def public_restrictions(self):
        page = random.choice((1, 1, 2, 5))
        self.get(f"/public/restrictions/?page={page}", "public: GET /public/restrictions/")

    @task(2)
    def verify(self):
        # the page allows 30 verifications a minute per address (per server process); all the load comes from
        # one address, so stay under that: at most one every CONFIG["verify_interval_s"] seconds in all
        token = CONFIG["token"]
        with _verify_lock:
            now = time.time()
            if token is None or now < _verify_next[0]:
                return self.login_page()
            _verify_next[0] = now + CONFIG["verify_interval_s"]
        self.get(f"/verify/{token}/", "public: GET /verify/<token>/")

    @task(2)
    def login_page(self):
        self.get("/accounts/login/", "baseline: GET /accounts/login/")


class Applicant(Session):
    weight = CONFIG["weights"]["applicant"]
    wait_time = between(*CONFIG["applicant_wait"])
    accounts = collections.deque(CONFIG["applicants"])

    def on_start(self):
        self.account = self.accounts.popleft()  # one account per simulated applicant
        self.accounts.append(self.account)
        self.client.cookies.set("csrftoken", CSRF)
        self.client.cookies.set("sessionid", self.account["session"])

    @task
    def apply_commit_sign(self):
        started = self.post("/api/applications/", "write: POST /api/applications/ (apply + credit check)",
                            {"subject_id": self.account["subject_id"], "matter_codes": [CONFIG["matter_code"]],
                             "channel": "online"})
        if not started:
            return
        url = f"/api/applications/{started['id']}"
        if not self.post(f"{url}/choose-commitment/", "write: POST choose-commitment"):
            return
        code_file = Path(CONFIG["otp_dir"]) / self.account["username"]
        code_file.unlink(missing_ok=True)
        if not self.post("/api/otp/", "write: POST /api/otp/"):
            return
        code = code_file.read_text() if code_file.exists() else ""
        if self.post(f"{url}/sign/", "write: POST sign (one-time code)", {"method": "otp", "secret": code}):
            SIGNED.append(started["id"])
