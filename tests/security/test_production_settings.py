"""With DJANGO_DEBUG off the settings are production-safe: `check --deploy` is clean and the cookies are Secure,
HSTS is on, HTTP is redirected. Run in a subprocess: settings are read once per process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "k2!Vq9@zL#4mXw7$Rt1^Yp8&Nb3*Hs6(Jd0)Fg5-Ce+Ua=Ko~Wi", "DJANGO_ALLOWED_HOSTS": "licensing.example.gov.cn",
              "DJANGO_SETTINGS_MODULE": "config.settings"}


def run(*args):
    env = {**os.environ, **PRODUCTION}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process only
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_and_transport():
    result = run("-c", "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
                 "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
                 "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.X_FRAME_OPTIONS, "
                 "'axes.backends.AxesStandaloneBackend' in s.AUTHENTICATION_BACKENDS]))")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True, 31536000, True, "Lax", "DENY", True]
