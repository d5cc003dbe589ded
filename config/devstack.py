"""``make run``: the web server, a Celery worker and the beat scheduler together; Ctrl-C stops them all."""

import argparse
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

DEMO_LOGINS = "admin / admin (staff), marketer / marketer, marketer2 / marketer2"


def commands(port: int) -> list[list[str]]:
    python = sys.executable
    # The embedded SQLite database takes one writer at a time: a single-process worker suits it.
    pool = ["--pool", "solo"] if not os.environ.get("DATABASE_URL", "").startswith("postgres") else ["-c", "2"]
    return [
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        [python, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO", *pool],
        [python, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"],
    ]


def sqlite_write_ahead_log(url: str) -> None:
    """Put the embedded SQLite database in write-ahead-log mode (it stays so): pages then read while the worker's
    long transactions (an import) write, instead of answering "database is locked"."""
    if url and not url.startswith("sqlite:///"):
        return
    path = url.removeprefix("sqlite:///") or "db.sqlite3"
    if not os.path.exists(path):  # a DATABASE_URL in .env that this process does not see: nothing to do
        return
    with contextlib.closing(sqlite3.connect(path)) as database:
        database.execute("PRAGMA journal_mode=WAL")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    port = parser.parse_args().port
    sqlite_write_ahead_log(os.environ.get("DATABASE_URL", ""))
    processes = [subprocess.Popen(command, start_new_session=True) for command in commands(port)]
    print(f"\nMicroreach is running on http://127.0.0.1:{port}/  (worker and beat too; Ctrl-C stops all)")
    print(f"Demo logins: {DEMO_LOGINS}\n", flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    failed = [p.args[2] for p in processes if p.returncode not in (0, -signal.SIGTERM, None) and not stopping]
    if failed:
        print(f"Stopped because a process exited: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
