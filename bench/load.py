"""Many citizens at once: a load generator for `reportqa serve`, on loopback only, bounded in time and requests.

    .venv/bin/python bench/load.py                       # starts a server, runs 20 and 100 clients, prints a table
    .venv/bin/python bench/load.py --soak 600            # …then 10 minutes at 20 clients, resident memory before/after
    .venv/bin/python bench/load.py --url http://127.0.0.1:7860 --clients 20 --seconds 20   # a running server

The mix is what a publication day looks like: half the requests repeat the popular questions, a third are
distinct questions, some are follow-ups with chat history, and some are bad input (empty, over-long,
markup). Distinct means never asked before in the run: the questions of the golden and development sets,
each in many wordings (请问…, …？, …呢), drawn without replacement, so no run is long enough for the answer
cache to serve them. A bad question must get its 4xx; anything else that is not a 200 (or
no answer at all) is an error. Nothing is asserted: the figures are printed, for the README.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
POPULAR = [
    "2023年新增学位多少",
    "去年GDP多少",
    "今年城镇就业目标是多少",
    "2022年新建了多少5G基站",
    "今年的主要预期目标有哪些",
    "历城区有多少人口",
    "去年优良天数多少天",
    "今年GDP增长目标",
    "2022年一般公共预算收入是多少",
    "今年要建多少所学校",
]
FOLLOW_UPS = [
    ("去年新增就业多少人", "那今年呢"),
    ("2022年新建多少处中小学和幼儿园", "新增多少学位"),
    ("去年GDP多少", "增长了多少"),
]
BAD = [{"question": ""}, {"question": "问" * 600}, {"question": "<script>alert(1)</script>2023年新增学位多少"}, {"k": 3}]
# The share of each kind of request in the mix (the rest are distinct questions).
SHARE_POPULAR, SHARE_FOLLOW_UP, SHARE_BAD = 0.5, 0.1, 0.05
TIMEOUT = 30.0  # seconds a citizen waits before giving up: counted as an error


def loopback_only(url: str) -> str:
    host = urlparse(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"load.py: refusing {url}: this generator only loads a server on loopback")
    return url.rstrip("/")


LEADS = ["", "请问", "请问一下，", "我想知道", "想问下", "你好，", "麻烦问一下", "咨询一下："]
ENDS = ["", "？", "?", "呢", "呀？", "。", "，谢谢", "？急"]


class DistinctQuestions:
    """An endless thread-safe stream of questions no client has asked before in this run: the golden and
    development sets' questions (never the locked set) in every wording of LEADS × ENDS, shuffled."""

    def __init__(self, seed: int):
        base = []
        for path in (ROOT / "eval" / "golden.jsonl", ROOT / "eval" / "sets" / "dev.jsonl", ROOT / "eval" / "sets" / "dev2.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                item = json.loads(line)
                if not item.get("history"):
                    base.append(item["question"].rstrip("？?。 "))
        self.questions = sorted({lead + question + end for question in base for lead in LEADS for end in ENDS})
        random.Random(seed).shuffle(self.questions)
        self.drawn = 0
        self.lock = threading.Lock()

    def next(self) -> str:
        with self.lock:
            question = self.questions[self.drawn % len(self.questions)]  # repeats only after all are used
            self.drawn += 1
            return question


def next_request(rng: random.Random, distinct: DistinctQuestions) -> tuple[dict, set[int]]:
    """One request body and the statuses that count as served correctly."""
    draw = rng.random()
    if draw < SHARE_POPULAR:
        return {"question": rng.choice(POPULAR)}, {200}
    if draw < SHARE_POPULAR + SHARE_FOLLOW_UP:
        first, second = rng.choice(FOLLOW_UPS)
        history = [{"role": "user", "content": first}, {"role": "assistant", "content": "（上一轮的回答）"}]
        return {"question": second, "history": history}, {200}
    if draw < SHARE_POPULAR + SHARE_FOLLOW_UP + SHARE_BAD:
        body = rng.choice(BAD)
        return body, {200} if body.get("question", "").startswith("<script>") else {422}
    return {"question": distinct.next()}, {200}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.errors += not ok


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] if ordered else 0.0


def run_load(
    urls: list[str], clients: int, seconds: float, max_requests: int, distinct: DistinctQuestions, seed: int = 1
) -> dict:
    """`clients` threads, each asking one question after another until the time or the request budget is spent;
    with several servers (replicas) the clients are spread over them, as a load balancer would. `distinct` is
    shared by all the runs against one server, so a later run does not repeat an earlier run's questions."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    budget = threading.Semaphore(max_requests)

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        with httpx.Client(base_url=urls[number % len(urls)], timeout=TIMEOUT) as http:
            while time.monotonic() < deadline and budget.acquire(blocking=False):
                body, expected = next_request(rng, distinct)
                start = time.perf_counter()
                try:
                    ok = http.post("/api/ask", json=body).status_code in expected
                except httpx.HTTPError:
                    ok = False
                tally.add(time.perf_counter() - start, ok)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + TIMEOUT + 5)
    elapsed = time.monotonic() - started
    done = len(tally.latencies)
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": done,
        "errors": tally.errors,
        "req_per_s": done / elapsed if elapsed else 0.0,
        "p50_s": percentile(tally.latencies, 50),
        "p95_s": percentile(tally.latencies, 95),
        "distinct_drawn": distinct.drawn,
    }


def resident_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn may run workers), in MB."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    total = 0
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return total / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(log_path: Path) -> tuple[subprocess.Popen, str]:
    """`reportqa serve` on a free loopback port, with the configured index; returns once it is ready."""
    port = free_port()
    env = {**os.environ, "REPORTQA_HOST": "127.0.0.1", "REPORTQA_PORT": str(port)}
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"load.py: the server stopped: see {log_path}")
        try:
            if httpx.get(f"{url}/api/ready", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("load.py: the server did not get ready in 10 minutes")


def print_row(result: dict) -> None:
    print(
        f"| {result['clients']} × {result['seconds']:.0f} s | {result['requests']} | {result['errors']} | "
        f"{result['req_per_s']:.1f} | {result['p50_s']:.2f} s | {result['p95_s']:.2f} s |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="a running server on loopback; repeat for replicas (default: start one)")
    parser.add_argument("--replicas", type=int, default=1, help="without --url: how many servers to start (processes)")
    parser.add_argument("--clients", type=int, nargs="*", default=[20, 100])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=20000, help="stop a run after this many requests")
    parser.add_argument("--soak", type=float, default=0, help="then run 20 clients this many seconds, memory before/after")
    args = parser.parse_args()

    processes = []
    if args.url:
        urls = [loopback_only(url) for url in args.url]
    else:
        # Replicas start one after another: the first builds the index if it is missing, the others find it.
        for number in range(args.replicas):
            processes.append(start_server(Path(tempfile.gettempdir()) / f"reportqa-load-server-{number}.log"))
        urls = [url for _, url in processes]
    try:
        distinct = DistinctQuestions(seed=1)
        run_load(urls, 4, 5, 200, distinct)  # warm-up: the first answers load the tokenizer, the facts and the caches
        print(
            f"{len(urls)} server process(es)\n| clients × seconds | requests | errors | req/s | p50 | p95 |\n|---|---|---|---|---|---|"
        )
        for clients in args.clients:
            print_row(run_load(urls, clients, args.seconds, args.max_requests, distinct))
        if args.soak:
            before = sum(resident_mb(process.pid) for process, _ in processes)
            result = run_load(urls, 20, args.soak, 10**9, distinct)
            after = sum(resident_mb(process.pid) for process, _ in processes)
            print_row(result)
            if processes:
                print(f"soak: resident memory {before:.0f} MB → {after:.0f} MB ({100 * (after - before) / before:+.1f}%)")
    finally:
        for process, _ in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)


if __name__ == "__main__":
    main()
