"""Load test for ``copydesk serve``: N concurrent clients on loopback for a fixed time.

Starts the server in a subprocess (the real ``copydesk serve`` command), sends a realistic story
with three sources from ``--clients`` concurrent clients for ``--duration`` seconds, and prints
throughput, p50/p99 latency, the error count and the server's memory (RSS) before and after.

    python benchmarks/load.py                       # 50 clients, 60 s, all checkers
    python benchmarks/load.py --duration 10 --checkers office,names,circumstances
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import IO

import httpx

STORY = {
    "id": "harbour-bridge",
    "headline": "Transport Secretary Pete Buttigieg opens the new harbour bridge",
    "published": "2025-08-29",
    "body": (
        "Transport Secretary Pete Buttigieg opened the new harbour bridge in Portsmouth on Tuesday, "
        "three years after construction began. The bridge, which cost 240 million dollars, carries four "
        "lanes of traffic and a cycle path across the estuary.\n\n"
        '"This crossing will cut the commute for thousands of families," Buttigieg told a crowd of about '
        "500 people gathered at the southern end. Mayor Ellen Park said the city had waited two decades for "
        "the project and thanked the engineers who worked through two hard winters.\n\n"
        "The old swing bridge, built in 1931, will close to cars next month and reopen as a footpath. "
        "Officials expect 30,000 vehicles a day to use the new span. Tolls will not be charged, according to "
        "the state highway agency. The details of the maintenance contract were not detailed in the "
        "available search results."
    ),
    "sources": [
        {
            "title": "Harbour bridge opens to traffic",
            "url": "https://example.org/news/harbour-bridge",
            "published": "2025-08-28",
            "text": (
                "Transportation Secretary Sean Duffy opened the new harbour bridge in Portsmouth on "
                "Thursday, three years after construction began. The bridge cost 240 million dollars "
                'and carries four lanes of traffic and a cycle path. "This crossing will cut the '
                'commute for thousands of families," Duffy told a crowd of about 300 people.'
            ),
        },
        {
            "title": "City council notes on the estuary crossing",
            "text": (
                "Mayor Ellen Park said the city had waited two decades for the project. The old swing "
                "bridge, built in 1931, will close to cars next month and reopen as a footpath. The "
                "highway agency expects 30,000 vehicles a day and will not charge tolls."
            ),
        },
        {
            "title": "Engineers look back on two winters",
            "text": "Engineers on the harbour bridge worked through two hard winters to finish the deck.",
        },
    ],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 1e6
    except ImportError:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1000
    return float("nan")


def start_server(port: int, args: argparse.Namespace, log: IO[str]) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "copydesk.apps.cli",
        "serve",
        "--port",
        str(port),
        "--timeout",
        str(args.timeout),
    ]
    if args.checkers:
        command += ["--checkers", args.checkers]
    if args.workers:
        command += ["--workers", str(args.workers)]
    # The server's log goes to a file: an undrained pipe would fill up and block the server.
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, text=True)


def wait_ready(server: subprocess.Popen, url: str, log: IO[str], limit_s: float = 300) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            sys.exit(f"the server exited during start-up:\n{log.read()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    server.kill()
    sys.exit(f"the server did not answer within {limit_s:g} s")


async def client(http: httpx.AsyncClient, deadline: float, latencies: list[float], errors: Counter) -> None:
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            answer = await http.post("/api/check", json=STORY)
            if answer.status_code == 200 and "findings" in answer.json():
                latencies.append(time.monotonic() - started)
            else:
                errors[f"HTTP {answer.status_code}"] += 1
        except httpx.HTTPError as exc:
            errors[type(exc).__name__] += 1


async def sample_memory(pid: int, deadline: float, samples: list[float]) -> None:
    while time.monotonic() < deadline:
        samples.append(rss_mb(pid))
        await asyncio.sleep(1)


async def load(url: str, pid: int, args: argparse.Namespace) -> dict:
    latencies: list[float] = []
    errors: Counter = Counter()
    samples: list[float] = []
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=args.timeout + 30) as http:
        started = time.monotonic()
        deadline = started + args.duration
        memory = asyncio.create_task(sample_memory(pid, deadline, samples))
        await asyncio.gather(*(client(http, deadline, latencies, errors) for _ in range(args.clients)))
        elapsed = time.monotonic() - started
        await memory
    ordered = sorted(latencies)

    def quantile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    return {
        "clients": args.clients,
        "duration_s": round(elapsed, 1),
        "requests_ok": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "throughput_rps": round(len(latencies) / elapsed, 2),
        "latency_p50_s": round(quantile(0.50), 3),
        "latency_p99_s": round(quantile(0.99), 3),
        "latency_mean_s": round(statistics.fmean(ordered), 3) if ordered else None,
        "rss_peak_mb": round(max(samples), 1) if samples else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--checkers", help="comma-separated checkers (default: the server's default)")
    parser.add_argument("--workers", type=int, help="server worker threads (default: cores)")
    parser.add_argument("--timeout", type=float, default=60.0, help="the server's --timeout")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (read after the server stops)
    server = start_server(port, args, log)
    try:
        wait_ready(server, url, log)
        first = httpx.post(f"{url}/api/check", json=STORY, timeout=args.timeout + 30)  # one warm request
        first.raise_for_status()
        rss_start = rss_mb(server.pid)
        results = asyncio.run(load(url, server.pid, args))
        results["rss_start_mb"] = round(rss_start, 1)
        results["rss_end_mb"] = round(rss_mb(server.pid), 1)
        results["findings_per_story"] = len(first.json()["findings"])
        results["cpu_cores"] = os.cpu_count()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    log.seek(0)
    server_log = log.read()
    if results["errors"] and server_log.strip():
        print("server log (last 40 lines):\n" + "\n".join(server_log.splitlines()[-40:]), file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{results['clients']} clients for {results['duration_s']} s on {results['cpu_cores']} cores")
    print(f"  throughput  {results['throughput_rps']} stories/s ({results['requests_ok']} ok)")
    print(f"  latency     p50 {results['latency_p50_s']} s, p99 {results['latency_p99_s']} s")
    print(f"  errors      {results['errors']} {results['error_kinds'] or ''}")
    print(
        f"  server RSS  {results['rss_start_mb']} MB at start, {results['rss_end_mb']} MB at end, "
        f"peak {results['rss_peak_mb']} MB"
    )


if __name__ == "__main__":
    main()
