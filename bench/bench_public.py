"""The public safety-code page under load, behind the production server, against a static file
served by the same server in the same run.

    .venv/bin/python bench/bench_public.py            # -d 10 -c 16 -w 2 --threads 1
    DATABASE_URL=sqlite:///$PWD/var/bench_public.sqlite3 .venv/bin/python bench/bench_public.py

Default database: var/bench_public.sqlite3, migrated and loaded with the demo district on first
use (`fireledger demo --if-empty`, ~15 s). The place with the most open hazards gets a safety
code; gunicorn (`fireledger.wsgi`, DEBUG off, WhiteNoise serving static files) listens on a
free loopback port; the load generator is Debian's `wrk` (`make bench-deps`), else a small
Python client on threads (slower: it competes with the server for the same cores).
Prints requests/s and latency for GET /code/<token>/ and GET /static/fireledger/app.css, and
the ratio of their mean times.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, summary  # noqa: E402

BIN = REPO / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> str:
    """Migrate, load the demo if empty, give the busiest place a code; returns its token."""
    subprocess.run([BIN / "fireledger", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([BIN / "fireledger", "demo", "--if-empty"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    script = (
        "import django; django.setup()\n"
        "from django.db.models import Count, Q\n"
        "from fireledger.hazards import lifecycle\n"
        "from fireledger.places.models import Place\n"
        "from fireledger.public import codes\n"
        "place = Place.objects.annotate(n=Count('hazards', filter=Q(hazards__status__in="
        "lifecycle.OPEN_STATUSES))).order_by('-n', 'pk').first()\n"
        "print(codes.code_for(place).token, codes.colour(place), place.pk)\n")
    out = subprocess.run([BIN / "python", "-c", script], env={
        **env, "DJANGO_SETTINGS_MODULE": "fireledger.settings"}, check=True,
        capture_output=True, text=True).stdout.split()
    print(f"place {out[2]}: colour {out[1]}")
    return out[0]


def wait_for(url: str, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                response.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url}")


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_PCT = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_ERRORS = re.compile(r"Socket errors: (.*)")
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url: str, duration: int, connections: int, threads: int) -> dict:
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
                          "--latency", url], capture_output=True, text=True, check=True).stdout
    pct = {int(p): float(v) * UNIT[u] for p, v, u in WRK_PCT.findall(out)}
    bad = WRK_NON2XX.search(out)
    errors = WRK_ERRORS.search(out)
    return {"rps": float(WRK_RPS.search(out).group(1)), "p50": pct.get(50), "p99": pct.get(99),
            "non2xx": int(bad.group(1)) if bad else 0,
            "errors": errors.group(1) if errors else ""}


def run_threads(url: str, duration: int, connections: int) -> dict:
    """Fallback load generator: `connections` threads, each request a new connection."""
    samples: list[float] = []
    bad = [0]
    lock = threading.Lock()
    end = time.monotonic() + duration

    def worker():
        mine = []
        while time.monotonic() < end:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                    response.read()
            except OSError:
                bad[0] += 1
                continue
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            samples.extend(mine)

    start = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stats = summary(samples)
    return {"rps": len(samples) / (time.monotonic() - start), "p50": stats["p50"],
            "p99": sorted(samples)[int(len(samples) * 0.99) - 1], "non2xx": bad[0],
            "errors": ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("-c", "--connections", type=int, default=16)
    parser.add_argument("-w", "--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{REPO / 'var' / 'bench_public.sqlite3'}")
    env["FIRELEDGER_DEBUG"] = "0"
    env.setdefault("FIRELEDGER_SECRET_KEY", "bench-only-not-secret")
    env["FIRELEDGER_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    token = prepare(env)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [BIN / "gunicorn", "--pythonpath", str(REPO / "bench"),
         "fireledger.wsgi",
         "-w", str(args.workers), "--threads",
         str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=REPO)
    use_wrk = shutil.which("wrk") and not args.python_client
    try:
        page, static = f"{base}/code/{token}/", f"{base}/static/fireledger/app.css"
        wait_for(page)
        wait_for(static)
        results = {}
        for name, url in (("static file", static), ("public page", page),
                          ("static file (again)", static)):
            run_wrk(url, 2, args.connections, 2) if use_wrk else run_threads(url, 2, 4)
            results[name] = (run_wrk(url, args.duration, args.connections, 2) if use_wrk
                             else run_threads(url, args.duration, args.connections))
    finally:
        server.terminate()
        server.wait(10)

    load = os.getloadavg()
    print(f"gunicorn -w {args.workers} --threads {args.threads}, DEBUG off, "
          "SQLite connection kept (CONN_MAX_AGE), "
          f"{'wrk -t2' if use_wrk else 'python threads'} -c{args.connections} "
          f"-d{args.duration}s, {os.cpu_count()} CPUs, load {load[0]:.1f}")
    print(f"{'url':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}  errors")
    for name, r in results.items():
        print(f"{name:<22}{r['rps']:>10.0f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['non2xx']:>9}"
              f"  {r['errors']}")
    static_rps = max(results["static file"]["rps"], results["static file (again)"]["rps"])
    page_rps = results["public page"]["rps"]
    print(f"time per request, public page / static file: {static_rps / page_rps:.2f}× "
          f"(target ≤ 3×); public page {page_rps:.0f} req/s (target ≥ 500)")


if __name__ == "__main__":
    main()
