"""The page benchmark (``bench_pages``): the real pages under gunicorn on PostgreSQL, loaded with wrk."""

import http.client
import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from campaigns.models import Campaign, FitScore
from creators.models import Creator

from . import dataset, recalc

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"p50": %f, "p95": %f, "p99": %f, "requests": %d, "seconds": %f, "errors": %d}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6, errors))
end
"""


@dataclass
class Result:
    p50: float
    p95: float
    p99: float
    rps: float
    errors: int
    wrk_cpu: float


@dataclass
class Page:
    name: str
    url: str
    queries: int = 0
    cold_ms: float = 0.0
    results: dict[int, Result] = field(default_factory=dict)


def prepare(n: int, log=print) -> tuple[list[Page], object]:
    """The data set, the bench brand and user, fresh metrics; the pages to measure."""
    if connection.vendor != "postgresql":
        raise RuntimeError("bench_pages measures PostgreSQL: set DATABASE_URL=postgres://…")
    brand, user = dataset.ensure_dataset(n, log=log)
    recalc.settle()  # the tables as autovacuum leaves them (no dead rows, empty trigram pending lists)
    campaign = Campaign.objects.filter(brand=brand).order_by("id").first()
    creator = FitScore.objects.filter(brand=brand, creator__is_flagged=True).order_by("-score").first().creator
    pages = [
        Page("floor: trivial Django view", "/bench/floor"),
        Page("dashboard", "/"),
        Page("directory, unfiltered", "/creators/"),
        Page("directory, 3 filters + sort", "/creators/?tier=micro&country=US&min_er=3&sort=-er"),
        Page("directory, deepest page", "/creators/?page=200"),
        Page("creator page", f"/creators/{creator.pk}/"),
        Page("campaign board", f"/campaigns/{campaign.pk}/"),
        Page("admin creator list, search", "/admin/creators/creator/?q=bench-4242"),
    ]
    return pages, user


def count_queries(pages: list[Page], user) -> None:
    """SQL queries per page, counted in this process (the floor view switched on here as in the server)."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    for page in pages:
        cache.clear()  # count what a page costs when its fragments must be rendered
        with override_settings(BENCH_FLOOR=True), CaptureQueriesContext(connection) as queries:
            response = client.get(page.url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{page.url} answered {response.status_code}")
        page.queries = len(queries.captured_queries)


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the app in production settings on a loopback port."""

    def __init__(self, workers: int) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BENCH_FLOOR": "true",
            # The benchmark measures pages, not the guards against abuse that thousands of its requests would trip.
            "RATE_LIMIT_SEARCH": "100000000/60",
            "RATE_LIMIT_EXPORT": "100000000/60",
            "TWO_FACTOR_FOR_SUPERUSERS": "false",
        }
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def rss_kib(self) -> int:
        """Resident memory of gunicorn's workers, in KiB."""
        total = 0
        for child in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split():
            status = Path(f"/proc/{child}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def wrk(url: str, clients: int, seconds: int, cookie: str, script: str) -> Result:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(clients),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            "-H",
            f"Cookie: sessionid={cookie}",
            "-H",
            "X-Forwarded-Proto: https",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    data = json.loads(output.strip().splitlines()[-1])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Result(
        p50=data["p50"],
        p95=data["p95"],
        p99=data["p99"],
        rps=data["requests"] / data["seconds"],
        errors=data["errors"],
        wrk_cpu=cpu / (data["seconds"] * os.cpu_count()) * 100,
    )


def timed_get(port: int, path: str, cookie: str) -> float:
    """Seconds to serve one logged-in request for ``path``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https"})
    conn.getresponse().read()
    return time.perf_counter() - start


def drain(port: int, cookie: str, deadline_seconds: float = 120) -> None:
    """Wait until requests queued by the previous measurement are served (the floor answers fast again)."""
    deadline = time.monotonic() + deadline_seconds
    fast = 0
    while time.monotonic() < deadline and fast < 3:
        fast = fast + 1 if timed_get(port, "/bench/floor", cookie) < 0.05 else 0
        time.sleep(0.2)


def export_timing(server: Server, cookie: str, url: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    rss_before = server.rss_kib()
    start = time.perf_counter()
    conn.request("GET", url, headers={"Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - start
    body = first + response.read()
    last_byte = time.perf_counter() - start
    rows = body.count(b"\n") - 1
    return {
        "status": response.status,
        "rows": rows,
        "first_byte_ms": first_byte * 1000,
        "last_byte_ms": last_byte * 1000,
        "rss_growth_kib": server.rss_kib() - rss_before,
    }


def run(n: int, *, clients: list[int], seconds: int, workers: int, log=print) -> list[str]:
    if not shutil.which("wrk"):
        raise RuntimeError("bench_pages needs wrk (Debian: apt-get install wrk)")
    pages, user = prepare(n, log=log)
    count_queries(pages, user)
    cookie = session_cookie(user)
    server = Server(workers)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        for page in pages:
            for c in clients:
                drain(server.port, cookie)
                # A page is measured in steady use: one request first renders what the cache lacks. The first
                # cell's is timed on an empty cache (the render after a recalculation) and reported apart.
                if c == clients[0]:
                    cache.clear()
                    page.cold_ms = timed_get(server.port, page.url, cookie) * 1000
                else:
                    timed_get(server.port, page.url, cookie)
                page.results[c] = wrk(f"http://127.0.0.1:{server.port}{page.url}", c, seconds, cookie, script.name)
                r = page.results[c]
                log(f"  {page.name:<36} c={c:<3} p95 {r.p95:7.1f} ms  {r.rps:7.1f} req/s  errors {r.errors}")
        drain(server.port, cookie)
        export = export_timing(server, cookie, "/creators/export.csv?min_followers=50000&max_followers=55300")
    finally:
        server.stop()
    return table(n, pages, clients, export, workers, seconds)


def table(n: int, pages: list[Page], clients: list[int], export: dict, workers: int, seconds: int) -> list[str]:
    floor = pages[0]
    low, mid = clients[0], clients[min(1, len(clients) - 1)]
    lines = [
        f"bench_pages: {Creator.objects.count():,} creators (bench set {n:,}); gunicorn {workers} sync workers; "
        f"wrk 2 threads, {seconds} s per cell; PostgreSQL; {os.cpu_count()} cores shared by all",
        "",
        f"| page | queries | cold ms | p50 / p95 / p99 ms at {low} clients | req/s at {low} | req/s at {mid} | "
        f"% of floor at {mid} | " + " | ".join(f"errors at {c}" for c in clients) + " | wrk CPU % |",
        "|---|---|---|---|---|---|---|" + "---|" * len(clients) + "---|",
    ]
    for page in pages:
        a, b = page.results[low], page.results[mid]
        share = 100 * b.rps / floor.results[mid].rps if floor.results[mid].rps else 0
        errors = " | ".join(str(page.results[c].errors) for c in clients)
        cpu = max(r.wrk_cpu for r in page.results.values())
        lines.append(
            f"| {page.name} | {page.queries} | {page.cold_ms:.0f} | {a.p50:.1f} / {a.p95:.1f} / {a.p99:.1f} | "
            f"{a.rps:.0f} | {b.rps:.0f} | "
            f"{share:.0f} % | {errors} | {cpu:.0f} |"
        )
    lines += [
        "",
        f"CSV export: HTTP {export['status']}, {export['rows']:,} rows, first byte {export['first_byte_ms']:.0f} ms, "
        f"last byte {export['last_byte_ms']:.0f} ms, gunicorn memory growth {export['rss_growth_kib']:,} KiB.",
    ]
    return lines
