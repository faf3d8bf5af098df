"""The app's serving settings, read from the environment (imported by main and api; imports nothing of app).

  CXTEXT_CONCURRENCY     analyses run at once (default 2); further runs wait in the queue
  CXTEXT_MAX_UPLOAD_MB   largest upload in MB (default 50)
  CXTEXT_AUTH            optional login, "user:password" (several: "u1:p1,u2:p2")
"""

from __future__ import annotations

import os

DEFAULT_CONCURRENCY = 2
DEFAULT_MAX_UPLOAD_MB = 50
HEAVY = "cxtext-analysis"  # concurrency group of the events that embed or project comments


def concurrency() -> int:
    value = os.environ.get("CXTEXT_CONCURRENCY", str(DEFAULT_CONCURRENCY))
    try:
        return max(1, int(value))
    except ValueError:
        raise SystemExit(f"CXTEXT_CONCURRENCY must be a whole number such as 2; got {value!r}.") from None


def max_upload_bytes() -> int:
    value = os.environ.get("CXTEXT_MAX_UPLOAD_MB", str(DEFAULT_MAX_UPLOAD_MB))
    try:
        megabytes = float(value)
    except ValueError:
        raise SystemExit(f"CXTEXT_MAX_UPLOAD_MB must be a number of megabytes such as 50; got {value!r}.") from None
    return int(megabytes * 1024 * 1024)


def auth_from_env() -> list[tuple[str, str]] | None:
    value = os.environ.get("CXTEXT_AUTH", "").strip()
    if not value:
        return None
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise SystemExit("CXTEXT_AUTH must look like user:password (several: u1:p1,u2:p2).")
        pairs.append((user, password))
    return pairs
