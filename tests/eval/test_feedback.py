"""Citizens' 👍 / 👎 and staff's reviews (eval/feedback/): what is stored, how a reviewed 👎 becomes a
golden-set line that eval.golden's own checker accepts, what bad input gets, and that no record is lost
when many threads, processes or replicas write at once, on SQLite and on a shared PostgreSQL.

The PostgreSQL tests start a throw-away cluster (Debian's postgresql, run as an unprivileged user,
because initdb refuses root) on a free port of 127.0.0.1; they and the multi-process tests use the
`subprocess_env` fixture, which marks them `slow` (tests/conftest.py)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from eval.feedback import (
    REASONS,
    Citation,
    Feedback,
    FeedbackError,
    FeedbackStoreError,
    Review,
    open_feedback_store,
    write_golden,
)
from eval.golden import load_golden
from rag.resources import PROJECT_ROOT
from rag.settings import DEFAULT_REPORT
from rag.types import Answer, Passage

GDP_EVIDENCE = "预计实现地区生产总值1265亿元"
FOLLOW_UP = (
    {"role": "user", "content": "今年GDP目标是多少？"},
    {"role": "assistant", "content": "2023年地区生产总值预期增长6%左右。"},
)


def a_down(question: str = "那去年呢？", **changes) -> Feedback:
    fields = dict(
        rating="down",
        question=question,
        answer="2023年地区生产总值预期增长6%左右[1]。",
        history=FOLLOW_UP,
        citations=(Citation("c1", "地区生产总值增长6%左右", "二、2023年主要工作安排", 14, 2023),),
        reason="wrong_year",
        comment="我问的是2022年",
    )
    return Feedback(**{**fields, **changes})


def gdp_review(**changes) -> Review:
    fields = dict(
        answer="2022年历城区预计实现地区生产总值1265亿元。",
        must_include=("1265亿元",),
        evidence=(GDP_EVIDENCE,),
        type="number",
        year=2022,
        section="一、2022年工作回顾 > 经济发展稳中有进",
    )
    return Review(**{**fields, **changes})


@pytest.fixture
def store(tmp_path):
    return open_feedback_store("", tmp_path / "index")


# --------------------------------------------------------------------------- shared by both databases


def check_round_trip(store) -> None:
    before = datetime.now(UTC)
    up = store.add(Feedback("up", "2022年新增了多少学位", "2022年新增学位1.7万个[1]。"))
    down = store.add(a_down())
    item = store.get(down)
    assert item.feedback == a_down()  # every listed field comes back as given
    assert before - timedelta(seconds=1) <= item.created_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert item.review is None and store.get(up).feedback.rating == "up"
    assert [i.id for i in store.for_review()] == [down]  # 👎 only


def check_review_and_export(store, tmp_path: Path) -> None:
    down = store.add(a_down())
    store.save_review(down, gdp_review())
    golden = tmp_path / "from-feedback.jsonl"
    write_golden(store.export_golden(), golden)
    [item] = load_golden(golden, DEFAULT_REPORT)  # the checker `reportqa eval --golden` runs
    assert (item.id, item.question, item.history) == (f"fb{down}", "那去年呢？", FOLLOW_UP)
    assert (item.must_include, item.evidence, item.year, item.type) == (("1265亿元",), (GDP_EVIDENCE,), 2022, "number")


WRITER = """
import sys, time
from pathlib import Path
from eval.feedback import Feedback, open_feedback_store
url, folder, name, count, go = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), Path(sys.argv[5])
store = open_feedback_store(url, folder)
go.with_name(f"{go.name}.{name}.ready").touch()
while not go.exists():
    time.sleep(0.005)
for n in range(count):
    store.add(Feedback("down", f"{name}-{n}", "答案", reason="other", comment="并发写入"))
"""


def write_from_processes(url: str, folder: Path, env: dict, processes: int, each: int) -> float:
    """`processes` Python processes add `each` 👎 at the same moment to one store; the seconds they took."""
    go = folder.parent / f"go-{uuid.uuid4().hex}"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(folder), f"p{p}", str(each), str(go)],
            env=env,
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(processes)
    ]
    ready = [go.with_name(f"{go.name}.p{p}.ready") for p in range(processes)]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in ready) and time.monotonic() < deadline and all(w.poll() is None for w in writers):
        time.sleep(0.01)  # every writer imported and waiting: they start together
    start = time.perf_counter()
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err
    return time.perf_counter() - start


def assert_all_present(store, names: list[str], each: int) -> None:
    items = store.for_review("all", limit=None)
    expected = {f"{name}-{n}" for name in names for n in range(each)}
    assert len(items) == len(expected)
    assert {i.feedback.question for i in items} == expected
    assert len({i.id for i in items}) == len(items)


# --------------------------------------------------------------------------- SQLite


def test_feedback_round_trips_every_listed_field_in_a_sqlite_file_in_the_index_folder(store, tmp_path):
    check_round_trip(store)
    assert (tmp_path / "index" / "feedback.sqlite3").is_file()


def test_only_the_listed_fields_are_stored_never_an_ip_address_or_request_data(store, tmp_path):
    store.add(a_down())
    with sqlite3.connect(tmp_path / "index" / "feedback.sqlite3") as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(feedback)")}
    assert columns == {"id", "created_at", "rating", "question", "history", "answer", "citations", "reason", "comment"}
    assert not {c for c in columns if "ip" in c.split("_") or "agent" in c or "session" in c}


def test_feedback_is_built_from_an_answer_and_its_chat_history(store):
    passage = Passage("c9", "新增学位1.7万个", "新增学位1.7万个。", "一、2022年工作回顾", 10, 2022, 0.9)
    answer = Answer("2022年新增了多少学位", "2022年新增学位1.7万个[1]。", [passage], refused=False)
    feedback = Feedback.from_answer(answer, "down", list(FOLLOW_UP), reason="not_answered")
    stored = store.get(store.add(feedback)).feedback
    assert stored.citations == (Citation("c9", "新增学位1.7万个", "一、2022年工作回顾", 10, 2022),)
    assert (stored.question, stored.history, stored.reason) == ("2022年新增了多少学位", FOLLOW_UP, "not_answered")


def test_the_review_list_holds_thumbs_down_newest_first_filtered_by_review_status(store):
    store.add(Feedback("up", "2022年新增了多少学位", "2022年新增学位1.7万个。"))
    older, newer = store.add(a_down("去年GDP多少")), store.add(a_down("那去年呢？"))
    assert [i.id for i in store.for_review("unreviewed")] == [newer, older]
    store.save_review(older, gdp_review())
    assert [i.id for i in store.for_review("unreviewed")] == [newer]
    assert [i.id for i in store.for_review("reviewed")] == [older]
    assert [i.id for i in store.for_review("all", limit=1)] == [newer]
    counts = store.counts()
    assert (counts.up, counts.down, counts.unreviewed) == (1, 2, 1)


def test_a_reviewed_thumbs_down_exports_as_a_line_the_golden_checker_accepts(store, tmp_path):
    check_review_and_export(store, tmp_path)


def test_a_second_review_replaces_the_first(store):
    down = store.add(a_down())
    store.save_review(down, gdp_review(must_include=("1265",)))
    store.save_review(down, gdp_review())
    assert store.get(down).review.must_include == ("1265亿元",)
    assert len(store.export_golden()) == 1


def test_an_unanswerable_review_needs_no_evidence(store):
    down = store.add(a_down("历城区有多少人口", reason="not_answered"))
    store.save_review(down, Review("报告未提及历城区的人口数量。", ("报告未提及",), (), "unanswerable", None))
    assert '"type": "unanswerable"' in store.export_golden()[0]


def test_evidence_that_is_not_report_text_is_refused_naming_the_piece_and_nothing_is_written(store):
    down = store.add(a_down())
    made_up = gdp_review(evidence=(GDP_EVIDENCE, "实现地区生产总值2000亿元"))
    with pytest.raises(FeedbackError) as refused:
        store.save_review(down, made_up)
    message = str(refused.value)
    assert "证据第2段不是报告原文" in message and "evidence piece 2 does not stand verbatim in the report" in message
    assert "实现地区生产总值2000亿元" in message
    assert store.get(down).review is None and store.for_review("reviewed") == []


@pytest.mark.parametrize(
    ("review", "says"),
    [
        (gdp_review(type="opinion"), "type must be one of"),
        (gdp_review(must_include=()), "must_include is empty"),
        (gdp_review(evidence=()), "evidence is empty"),
        (gdp_review(year=2203), "year must be a whole number from 2000 to 2100"),
        (gdp_review(answer="  "), "the correct answer is empty"),
        (gdp_review(evidence=(f"{GDP_EVIDENCE} || 增长4.1%",)), "contains '||'"),
        (gdp_review(must_include="1265亿元"), "must_include must be a list of strings"),
    ],
)
def test_a_bad_review_is_refused_with_a_message_and_nothing_is_written(store, review, says):
    down = store.add(a_down())
    with pytest.raises(FeedbackError, match=says) as refused:
        store.save_review(down, review)
    assert " / " in str(refused.value)  # Chinese first, then English
    assert store.get(down).review is None


def test_only_an_existing_thumbs_down_can_be_reviewed(store):
    up = store.add(Feedback("up", "2022年新增了多少学位", "2022年新增学位1.7万个。"))
    with pytest.raises(FeedbackError, match="only 👎 feedback is reviewed"):
        store.save_review(up, gdp_review())
    with pytest.raises(FeedbackError, match="no feedback with id 999"):
        store.save_review(999, gdp_review())


def test_exporting_with_nothing_reviewed_says_so(store):
    store.add(a_down())
    with pytest.raises(FeedbackError, match="no reviewed feedback to export"):
        store.export_golden()


@pytest.mark.parametrize(
    ("feedback", "says"),
    [
        (a_down(rating="meh"), "rating must be one of up, down"),
        (a_down(reason="too_slow"), "reason must be one of wrong_answer, wrong_year, not_answered, other"),
        (Feedback("up", "去年GDP多少", "答案", reason="wrong_year"), "a 👍 takes no reason or comment"),
        (a_down(question="   "), "question is empty"),
        (a_down(question="问" * 501), "question has 501 characters; the limit is 500"),
        (a_down(comment="太" * 501), "comment has 501 characters; the limit is 500"),
        (a_down(answer=None), "answer must be a string"),
        (a_down(history=[{"role": "system", "content": "x"}]), "bad history turn"),
        (a_down(citations=["not a citation"]), "citations must be a list of Citation"),
    ],
)
def test_bad_feedback_is_refused_with_a_message_and_nothing_is_written(store, feedback, says):
    with pytest.raises(FeedbackError, match=says) as refused:
        store.add(feedback)
    assert " / " in str(refused.value)
    assert store.counts().down == 0 and store.counts().up == 0


def test_every_reason_a_citizen_can_pick_is_accepted_with_its_label(store):
    assert list(REASONS.values()) == ["答案错误", "年份不对", "没回答我的问题", "其他"]
    ids = [store.add(a_down(reason=reason)) for reason in REASONS] + [store.add(a_down(reason=None, comment=""))]
    assert [store.get(i).feedback.reason for i in ids] == [*REASONS, None]


def test_a_long_chat_keeps_only_the_turns_just_before_the_question(store):
    turns = [{"role": "user" if n % 2 == 0 else "assistant", "content": f"第{n}轮"} for n in range(30)]
    stored = store.get(store.add(a_down(history=turns))).feedback.history
    assert len(stored) == 10 and stored[-1] == {"role": "assistant", "content": "第29轮"}


def test_a_url_that_is_not_postgresql_is_refused(tmp_path):
    with pytest.raises(FeedbackError, match="must be empty .* or a postgresql://… URL"):
        open_feedback_store("mysql://db/feedback", tmp_path)


def test_an_unreachable_postgresql_server_is_a_clear_error_without_the_password(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = open_feedback_store(f"postgresql://staff:s3cret@127.0.0.1:{port}/feedback", tmp_path)
    with pytest.raises(FeedbackStoreError) as refused:
        store.add(a_down())
    message = str(refused.value)
    assert "the feedback database postgresql://127.0.0.1:" in message and "cannot be used" in message
    assert "s3cret" not in message


def test_a_damaged_sqlite_file_is_a_clear_error(tmp_path):
    (tmp_path / "feedback.sqlite3").write_bytes(b"not a database at all" * 100)
    with pytest.raises(FeedbackStoreError, match="feedback.sqlite3 cannot be used: file is not a database"):
        open_feedback_store("", tmp_path).add(a_down())


def test_eight_threads_writing_at_once_lose_no_record(store):
    threads, each = 8, 50
    start = threading.Barrier(threads)
    errors = []

    def write(name: str) -> None:
        start.wait()
        try:
            for n in range(each):
                store.add(a_down(f"{name}-{n}"))
        except Exception as error:  # reported below, with the records that are missing
            errors.append(error)

    workers = [threading.Thread(target=write, args=(f"t{t}",)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert_all_present(store, [f"t{t}" for t in range(threads)], each)


def test_two_processes_writing_to_one_sqlite_file_lose_no_record(tmp_path, subprocess_env):
    folder = tmp_path / "index"
    write_from_processes("", folder, subprocess_env, processes=2, each=100)
    assert_all_present(open_feedback_store("", folder), ["p0", "p1"], 100)


FRESH_FILES_WRITER = """
import sys, time
from pathlib import Path
from eval.feedback.sqlite import SqliteDatabase
root, go, files = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
for n in range(files):
    with SqliteDatabase(root / str(n)).transaction(write=True) as run:
        run("CREATE TABLE IF NOT EXISTS t (v TEXT)")
"""


def test_processes_opening_fresh_sqlite_files_at_once_wait_for_each_other(tmp_path, subprocess_env):
    # Switching a new file to WAL takes a lock SQLite does not wait for by itself: before the wait,
    # three of four processes failed on this with "database is locked" (CI failed once on two).
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", FRESH_FILES_WRITER, str(tmp_path), str(go), "150"],
            env=subprocess_env,
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    time.sleep(1.0)  # every writer imported and waiting
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err


# --------------------------------------------------------------------------- PostgreSQL

PG_BINARIES = "/usr/lib/postgresql/*/bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server(subprocess_env):
    """A throw-away PostgreSQL cluster on 127.0.0.1; its base URL. Missing binaries fail the run: CI installs them."""
    found = sorted(glob.glob(f"{PG_BINARIES}/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        pytest.fail(
            f"PostgreSQL server binaries (initdb, pg_ctl) not found in {PG_BINARIES}: apt-get install postgresql", pytrace=False
        )
    bin_dir = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="reportqa-postgres-"))
    # initdb refuses to run as root: the cluster belongs to an unprivileged user.
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "nobody", "nogroup")
    port = _free_port()

    def pg(*args: str) -> None:
        done = subprocess.run([*as_user, *args], env=subprocess_env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = folder / "server.log"
            pytest.fail(f"{Path(args[0]).name} failed: {done.stderr}{log.read_text() if log.exists() else ''}", pytrace=False)

    data = folder / "data"
    pg(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options, "-w", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], capture_output=True, timeout=60
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A new, empty database on the session's cluster: each test creates the tables on first use."""
    import psycopg

    name = f"feedback_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server}/{name}"


def test_feedback_round_trips_on_postgresql(postgres_url, tmp_path):
    store = open_feedback_store(postgres_url, tmp_path)
    check_round_trip(store)
    assert not (tmp_path / "feedback.sqlite3").exists()


def test_a_review_on_postgresql_exports_a_line_the_golden_checker_accepts(postgres_url, tmp_path):
    check_review_and_export(open_feedback_store(postgres_url, tmp_path), tmp_path)


def test_two_replicas_writing_to_one_postgresql_at_once_lose_no_record(postgres_url, tmp_path, subprocess_env):
    # Both start on an empty database, so they also race to create the tables.
    write_from_processes(postgres_url, tmp_path / "replica", subprocess_env, processes=2, each=100)
    assert_all_present(open_feedback_store(postgres_url, tmp_path), ["p0", "p1"], 100)
