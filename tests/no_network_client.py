"""The client half of tests/test_no_network.py, run inside the test's loopback-only network namespace.

    python tests/no_network_client.py REQUESTS.json ANSWERS.json

REQUESTS.json: {"url": "http://127.0.0.1:PORT/", "wait_seconds": s, "requests": {name: [method, path, body]}}.
It waits until GET /api/ready answers 200, sends each request (body: JSON or null), and writes
ANSWERS.json: {"interfaces": [...], "waited_seconds": s, "responses": {name: {"status": n, "body": text}}}.
Standard library only, and proxy variables ignored: the client itself must not be what reaches out.
Exits 1 with a message when the server is not ready in time.
"""

from __future__ import annotations

import json
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REQUEST_TIMEOUT = 120  # seconds for one answer: the two cores are shared with the rest of the test run
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def send(url: str, method: str, body: object) -> tuple[int, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_ready(url: str, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if send(url + "api/ready", "GET", None)[0] == 200:
                return time.monotonic() - started
        except OSError:  # not listening yet
            pass
        time.sleep(0.5)
    sys.exit(f"the server did not answer GET /api/ready within {seconds} s")


def main(requests_file: str, answers_file: str) -> None:
    plan = json.loads(Path(requests_file).read_text(encoding="utf-8"))
    waited = wait_until_ready(plan["url"], plan["wait_seconds"])
    responses = {}
    for name, (method, path, body) in plan["requests"].items():
        status, text = send(plan["url"] + path, method, body)
        responses[name] = {"status": status, "body": text}
    answers = {
        "interfaces": [name for _, name in socket.if_nameindex()],
        "waited_seconds": waited,
        "responses": responses,
    }
    Path(answers_file).write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
