"""No network, proven: `reportqa serve` and a set of questions run in a network namespace whose only
interface is loopback, and the kernel-level connect/send calls of every process in it are recorded.

tests/rag/test_network.py watches Python's socket module in-process, which native code (the tokenizers'
Rust, torch, chromadb's Rust core, httpx inside gradio) passes unseen. Here `unshare --net` leaves the
server no route out, so a reach past loopback would fail anyway; strace records the attempt itself, so the
test fails on the attempt, not on whatever its failure would break. The questions come from
tests/no_network_client.py, run in the same namespace (`nsenter`) and traced too.

Needs root (for the namespace) and strace, iproute2 and util-linux, which CI installs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from rag.resources import PROJECT_ROOT

CLIENT = Path(__file__).with_name("no_network_client.py")
PORT = 7860  # the namespace is new, so nothing else can be listening there
URL = f"http://127.0.0.1:{PORT}/"
START_TIMEOUT = 300  # seconds: building the model when the session's cache is new, then the index, under strace
ANSWER_TIMEOUT = 300  # seconds for all the requests once the server is ready
STOP_GRACE = 20  # seconds for the server to shut down on SIGTERM before the group is killed
# The calls that name a peer. sendmmsg as well: glibc's resolver sends its A and AAAA queries with it.
# accept and accept4 show the server's side of the client's connections (uvloop answers with writev,
# which names no peer and is not traced), so the test can see strace was watching the server.
TRACED_CALLS = "connect,sendto,sendmsg,sendmmsg,accept,accept4"
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}
TOOLS = {"unshare": "util-linux", "nsenter": "util-linux", "ip": "iproute2", "strace": "strace"}

HISTORY = [
    {"role": "user", "content": "2022年新增了多少学位"},
    {"role": "assistant", "content": "2022年（已完成）：新建19处中小学、幼儿园，新增学位1.7万个[1]。"},
]
# name: (method, path under the server's URL, JSON body)
REQUESTS = {
    "ready": ("GET", "api/ready", None),
    "2022 figure": ("POST", "api/ask", {"question": "2022年新建了多少5G基站"}),
    "2023 target": ("POST", "api/ask", {"question": "2023年筹集多少套保障性租赁住房"}),
    "unanswerable": ("POST", "api/ask", {"question": "历城区有多少人口"}),
    "follow-up": ("POST", "api/ask", {"question": "那2023年呢", "history": HISTORY}),
    "2023 targets": ("GET", "api/figures?year=2023&status=target", None),
    "chat page": ("GET", "", None),
}

LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}
# An IPv4 or IPv6 socket address as strace prints it; AF_UNIX, AF_NETLINK and sends on a connected
# socket (no address) are not network and do not match.
INTERNET_ADDRESS = re.compile(r"\{sa_family=AF_INET6?,([^}]*)\}")
IP = re.compile(r'inet_addr\("([^"]*)"\)|inet_pton\(AF_INET6?, "([^"]*)"')


def outside_attempts(trace: str) -> list[str]:
    """The strace lines that address anything but 127.0.0.1 or ::1. An address strace prints in a form not
    understood here counts as outside: a change in strace's output must not hide an attempt."""
    attempts = []
    for line in trace.splitlines():
        for address in INTERNET_ADDRESS.finditer(line):
            ip = IP.search(address.group(1))
            if ip is None or (ip.group(1) or ip.group(2)) not in LOOPBACK:
                attempts.append(line.strip())
                break
    return attempts


# strace prints a call on one line, or, when another traced thread's call comes between its start and its
# end, on two: "accept4(37, ... <unfinished ...>" and later "<... accept4 resumed>) = 39". It pads the pid
# in front to a width ("3951  accept4(…)" on a machine whose pids are short, as CI's are).
ACCEPTED = re.compile(r"^\d+\s+(?:accept4?\(|<\.\.\. accept4? resumed>).*\) = \d+$", re.MULTILINE)


def accepted_connections(trace: str) -> int:
    """How many connections the traced server accepted."""
    return len(ACCEPTED.findall(trace))


def test_accepted_connections_are_counted_whole_or_resumed():
    trace = """\
11275 accept4(37, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK) = 39
11275 accept4(37, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK <unfinished ...>
11290 connect(12, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)
11275 <... accept4 resumed>) = 40
11275 accept4(37, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable)
11275 accept(37, {sa_family=AF_INET, sin_port=htons(41234), sin_addr=inet_addr("127.0.0.1")}, [16]) = 41
3951  accept4(38, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK) = 40
"""
    assert accepted_connections(trace) == 4


def test_the_trace_check_flags_every_internet_destination_but_loopback():
    trace = """\
101 connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("8.8.8.8")}, 16) = -1 ENETUNREACH (Network is unreachable)
101 connect(4, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2606:4700::6810:84e5", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH (Network is unreachable)
102 sendto(5, "\\x12\\x34", 2, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 2
102 sendmsg(6, {msg_name={sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("10.0.0.1")}, msg_namelen=16, msg_iov=[], msg_iovlen=0, msg_controllen=0, msg_flags=0}, 0) = -1 ENETUNREACH (Network is unreachable)
103 connect(7, {sa_family=AF_INET, sin_port=htons(7860), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
103 connect(8, {sa_family=AF_INET6, sin6_port=htons(7860), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0
103 connect(9, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)
103 sendto(10, [{nlmsg_len=20, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, nlmsg_pid=0}, {ifa_family=AF_UNSPEC}], 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20
103 sendto(11, "HTTP/1.1 200 OK", 15, 0, NULL, 0) = 15
"""
    flagged = outside_attempts(trace)
    assert [line.split("(")[0] for line in flagged] == ["101 connect", "101 connect", "102 sendto", "102 sendmsg"]
    assert all(ip in "\n".join(flagged) for ip in ("8.8.8.8", "2606:4700::6810:84e5", "127.0.0.53", "10.0.0.1"))


# --------------------------------------------------------------------------- the run in the namespace


@dataclass(frozen=True)
class NamespaceRun:
    interfaces: list[str]  # the network interfaces the client saw in the namespace
    responses: dict[str, dict]  # REQUESTS' name -> {"status": n, "body": text}
    server_trace: str  # strace of the server's whole process tree
    client_trace: str


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not installed: apt-get install {TOOLS[name]}", pytrace=False)
    return path


def traced(log: Path) -> list[str]:
    """strace in front of a command: every process and thread it starts, only the calls that address a peer.
    seccomp-bpf stops only those calls, so the model loads at nearly full speed."""
    return [tool("strace"), "-f", "--seccomp-bpf", "-qq", "-e", "signal=none", "-e", f"trace={TRACED_CALLS}", "-o", str(log)]


def stop_group(process: subprocess.Popen) -> None:
    """Stop a traced command and everything it started. strace blocks fatal signals while its command runs
    and, killed itself, would leave the command running: so the whole process group is told to stop
    (uvicorn shuts down on SIGTERM, then strace exits), and killed if it has not within STOP_GRACE."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_GRACE)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def enter_when_unshared(pid: int) -> str:
    """The namespace of `pid` for nsenter, once it is no longer ours: entering too early would run the
    client on the host's network, where another server may be listening on the same port."""
    ours = os.readlink("/proc/self/ns/net")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(FileNotFoundError):
            if os.readlink(f"/proc/{pid}/ns/net") != ours:
                return f"--net=/proc/{pid}/ns/net"
        time.sleep(0.05)
    pytest.fail("`unshare --net` did not make a network namespace within 10 s (it needs root)", pytrace=False)


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def namespace_run(tmp_path_factory, subprocess_env, model_cache) -> NamespaceRun:
    """Starts the server in a new loopback-only namespace, asks REQUESTS from inside it, stops everything."""
    folder = tmp_path_factory.mktemp("no-network")
    env = {
        **subprocess_env,
        **OFFLINE,
        "REPORTQA_INDEX_DIR": str(folder / "index"),  # a new index, built inside the namespace
        "REPORTQA_MODEL_CACHE": str(model_cache),
    }
    plan, answers = folder / "requests.json", folder / "answers.json"
    plan.write_text(json.dumps({"url": URL, "wait_seconds": START_TIMEOUT, "requests": REQUESTS}), encoding="utf-8")
    server_log, client_log = folder / "server.log", folder / "client.log"
    serve = [sys.executable, "-m", "ui.cli", "serve", "--host", "127.0.0.1", "--port", str(PORT)]
    in_namespace = [tool("unshare"), "--net", "sh", "-c", f'{tool("ip")} link set lo up && exec "$@"', "sh"]
    with server_log.open("w") as out:
        server = subprocess.Popen(
            [*in_namespace, *traced(folder / "server.trace"), *serve],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    client = None
    try:
        ask = [tool("nsenter"), enter_when_unshared(server.pid), *traced(folder / "client.trace")]
        with client_log.open("w") as out:
            client = subprocess.Popen(
                [*ask, sys.executable, str(CLIENT), str(plan), str(answers)],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT + ANSWER_TIMEOUT
        while client.poll() is None:
            if server.poll() is not None:
                pytest.fail(f"the server exited with {server.returncode}:\n{tail(server_log)}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"no answers within {START_TIMEOUT + ANSWER_TIMEOUT} s:\n{tail(server_log)}", pytrace=False)
            time.sleep(0.5)
        if client.returncode != 0:
            pytest.fail(f"the client failed:\n{tail(client_log)}\nserver:\n{tail(server_log)}", pytrace=False)
    finally:
        if client is not None:
            stop_group(client)
        stop_group(server)
    result = json.loads(answers.read_text(encoding="utf-8"))
    return NamespaceRun(
        interfaces=result["interfaces"],
        responses=result["responses"],
        server_trace=(folder / "server.trace").read_text(errors="replace"),
        client_trace=(folder / "client.trace").read_text(errors="replace"),
    )


def json_of(run: NamespaceRun, name: str) -> dict:
    response = run.responses[name]
    assert response["status"] == 200, response
    return json.loads(response["body"])


def test_the_namespace_has_loopback_only(namespace_run):
    assert namespace_run.interfaces == ["lo"]


def test_no_process_in_the_namespace_tried_to_reach_past_loopback(namespace_run):
    for process, trace in [("the server", namespace_run.server_trace), ("the client", namespace_run.client_trace)]:
        attempts = outside_attempts(trace)
        assert not attempts, f"{process} tried to reach past loopback:\n" + "\n".join(attempts)
    # strace was watching both: the client connecting to the server, and the server's serving thread
    # accepting (CI's short pids once hid every accept from a pattern that expected one space after the pid).
    assert f'sin_port=htons({PORT}), sin_addr=inet_addr("127.0.0.1")' in namespace_run.client_trace
    accepted = accepted_connections(namespace_run.server_trace)
    assert accepted >= len(REQUESTS), (
        f"{accepted} accepted connections in the server's trace:\n{namespace_run.server_trace[-3000:]}"
    )


def test_it_is_ready_with_the_whole_report_indexed(namespace_run):
    ready = json_of(namespace_run, "ready")
    assert ready["status"] == "ok" and ready["chunks"] == ready["stored"] > 100


def test_it_answers_a_2022_figure(namespace_run):
    answer = json_of(namespace_run, "2022 figure")
    assert answer["refused"] is False
    assert "1270个5G基站" in answer["text"] and "2022" in answer["text"]


def test_it_answers_a_2023_target(namespace_run):
    answer = json_of(namespace_run, "2023 target")
    assert answer["refused"] is False
    assert "7100套" in answer["text"] and "2023" in answer["text"]
    assert 2023 in {c["year"] for c in answer["citations"]}


def test_it_refuses_what_the_report_does_not_say(namespace_run):
    answer = json_of(namespace_run, "unanswerable")
    assert answer["refused"] is True and "报告未提及" in answer["text"]


def test_it_follows_up_on_the_chat_history(namespace_run):
    answer = json_of(namespace_run, "follow-up")
    assert any("中小学、幼儿园12所" in c["text"] for c in answer["citations"]), answer


def test_it_lists_the_2023_targets(namespace_run):
    figures = json_of(namespace_run, "2023 targets")["figures"]
    assert figures and {(f["year"], f["status"]) for f in figures} == {(2023, "target")}
    assert "地区生产总值" in {f["indicator"] for f in figures}


def test_it_serves_the_chat_page(namespace_run):
    page = namespace_run.responses["chat page"]
    assert page["status"] == 200 and "历城区2023年政府工作报告 智能问答" in page["body"]
