"""Starting a Celery worker process on a queue of its own (benchmarks and end-to-end tests)."""

import os
import subprocess
import sys
import uuid


def database_url() -> str:
    """The URL of the database this process uses, for the processes it starts (workers, commands)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def private_queue(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def start(queue: str, *, env: dict | None = None, processes: int = 1, **popen) -> subprocess.Popen:
    """A worker consuming only ``queue`` (the worker's own fan-out goes there too): one solo process, or a prefork
    pool of ``processes``."""
    environment = {**os.environ, **(env or {}), "CELERY_QUEUE": queue}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        *(["--pool", "solo"] if processes == 1 else ["--pool", "prefork", "--concurrency", str(processes)]),
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "-Q",
        queue,
    ]
    return subprocess.Popen(command, env=environment, **popen)


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
