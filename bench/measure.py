"""A command run as a process of its own, as a user runs it, so that its peak memory is its own."""

import os
import subprocess
import sys
import time

from django.conf import settings

from config.worker_process import database_url

# Runs manage.py in this process's child and reports the child's own peak memory on stderr's last line: Linux's
# VmHWM of the process (ru_maxrss would carry over the parent's peak through fork and exec).
_MEASURED = (
    "import re, resource, runpy, sys\n"
    "sys.argv = ['manage.py', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_path('manage.py', run_name='__main__')\n"
    "finally:\n"
    "    try:\n"
    "        peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])\n"
    "    except (OSError, TypeError):\n"
    "        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    print('PEAK_KB', peak, file=sys.stderr)\n"
)


def command(*argv: str, env: dict | None = None, fails: bool = False) -> tuple[float, float, str]:
    """Seconds, peak memory (MB) and standard output of ``manage.py *argv`` run as a process of its own (``env``
    added to this process's environment; tasks are queued, never run in it). ``fails``: it must exit 1 (a file
    that is refused), not 0."""
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_TASK_ALWAYS_EAGER": "false", **(env or {})}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *argv], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR
    )
    seconds = time.perf_counter() - started
    if done.returncode != (1 if fails else 0):
        raise RuntimeError(f"{argv[0]} exited {done.returncode}: {done.stderr[-2000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1].split()[-1])
    return seconds, peak_kb / 1024, done.stdout
