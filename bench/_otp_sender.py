"""One-time codes for the API load benchmark: the server (gunicorn) writes each code to a file the load generator
reads, as an SMS gateway would deliver it to the phone. Only used by bench/api_load.py (OTP_SENDER)."""

import os
from pathlib import Path


class FileSender:
    def send(self, user, code: str, purpose: str) -> None:
        folder = Path(os.environ["BENCH_OTP_DIR"])
        temporary = folder / f".{user.get_username()}.tmp"
        temporary.write_text(code)
        temporary.replace(folder / user.get_username())  # atomic: the reader never sees half a code
