"""`reportqa` when something is wrong: a mistake the user can fix (a bad question or file, a Chroma store
that cannot be reached or read, a model that cannot load) exits 2 with one readable line on stderr; an
unexpected error exits 1 with one line, its traceback in the log. No traceback reaches the user.
And what each command loads: `reportqa ask` never imports the eval suite, matplotlib, gradio or llama-index.

Each subprocess gets its own REPORTQA_INDEX_DIR in a temp folder; a bad question or file must be refused
before that folder is even created. (A successful CLI retrieval runs in test_chroma_server.py,
against the server's index, so no second index is built here.)
"""

from __future__ import annotations

import ast
import csv
import importlib
import io
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from rag.resources import PROJECT_ROOT
from ui import cli


def private(env: dict[str, str], index_dir: Path) -> dict[str, str]:
    """The index in the test's folder; so is the log an unexpected error would be written to."""
    return {**env, "REPORTQA_INDEX_DIR": str(index_dir), "XDG_STATE_HOME": str(index_dir.parent / "state")}


def run_cli(args: list[str], env: dict[str, str], index_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=PROJECT_ROOT,
        env=private(env, index_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_refused(result: subprocess.CompletedProcess, index_dir: Path, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("reportqa: ") and "\n" not in message, message
    for word in words:
        assert word in message, message
    assert not index_dir.exists()  # refused before the index was opened, let alone built


@pytest.mark.parametrize(
    "args, says",
    [
        (["retrieve", ""], "the question is empty"),
        (["retrieve", "  \t "], "the question is empty"),
        (["retrieve", "？！……"], "no words to search for"),
        (["retrieve", "历城去年GDP多少", "-k", "0"], "k must be an integer from 1 to 50"),
    ],
)
def test_a_bad_question_exits_2_with_a_message(subprocess_env, tmp_path: Path, args: list[str], says: str) -> None:
    index_dir = tmp_path / "index"
    assert_refused(run_cli(args, subprocess_env, index_dir), index_dir, says)


def test_ingesting_a_missing_file_exits_2_with_a_message(subprocess_env, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    assert_refused(run_cli(["ingest", "/nonexistent"], subprocess_env, index_dir), index_dir, "file not found", "/nonexistent")


@pytest.mark.parametrize("kind", ["directory", "empty", "binary"])
def test_ingesting_an_unusable_file_exits_2_with_a_message(subprocess_env, tmp_path: Path, kind: str) -> None:
    index_dir = tmp_path / "index"
    path = tmp_path / kind
    if kind == "directory":
        path.mkdir()
    else:
        path.write_bytes(b"" if kind == "empty" else b"%PDF-1.7\x00\x01\x02")
    assert_refused(run_cli(["ingest", str(path)], subprocess_env, index_dir), index_dir, str(path))


def test_a_malformed_option_is_a_usage_error_not_a_traceback(subprocess_env, tmp_path: Path) -> None:
    result = run_cli(["retrieve", "历城去年GDP多少", "-k", "five"], subprocess_env, tmp_path / "index")
    assert result.returncode == 2
    assert "invalid int value" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- a store or model that fails


def closed_port() -> int:
    """A loopback port nobody listens on: bound, then let go."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_line_exit_2(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    message = result.stderr.strip()
    assert message.startswith("reportqa: ") and "\n" not in message, message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("args", [["ask", "历城去年GDP多少"], ["ingest"]])
def test_an_unreachable_chroma_server_exits_2_with_one_line(subprocess_env, tmp_path: Path, args: list[str]) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = run_cli(args, {**subprocess_env, "REPORTQA_CHROMA_URL": url}, tmp_path / "index")
    assert_one_line_exit_2(result, "cannot open the Chroma store", url)


def test_a_store_path_that_cannot_be_a_store_exits_2_with_one_line(subprocess_env, tmp_path: Path) -> None:
    # (a damaged store is rebuilt: tests/rag/store/test_index.py; a file where the store's folder should be is not damage)
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / "chroma").write_text("a file where the store's folder should be")
    assert_one_line_exit_2(run_cli(["ask", "历城去年GDP多少"], subprocess_env, index_dir), "Chroma store", str(index_dir))


def test_a_model_that_cannot_load_exits_2_with_one_line(subprocess_env, tmp_path: Path) -> None:
    env = {**subprocess_env, "REPORTQA_MODEL": str(tmp_path / "no-such-model")}
    assert_one_line_exit_2(run_cli(["ask", "历城去年GDP多少"], env, tmp_path / "index"), "cannot load the embedding model")


# --------------------------------------------------------------------------- what each command loads

HEAVY = ("eval", "matplotlib", "gradio", "llama_index")
LOADED = """
import sys
from ui.cli import main
for argv in {argvs!r}:
    try:
        main(argv)
    except SystemExit:
        pass
print(sorted({{name.split(".")[0] for name in sys.modules}} & set({heavy!r})))
"""


def loaded_by(argvs: list[list[str]], env: dict[str, str], index_dir: Path) -> list[str]:
    code = LOADED.format(argvs=argvs, heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=private(env, index_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_ingest_retrieve_and_ask_load_neither_the_eval_suite_nor_plotting_web_or_llama_index(subprocess_env, tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"  # the commands run as far as opening the store
    argvs = [["--help"], ["retrieve", "历城去年GDP多少"], ["ask", "历城去年GDP多少"], ["ingest"], ["ask", ""]]
    assert loaded_by(argvs, {**subprocess_env, "REPORTQA_CHROMA_URL": url}, tmp_path / "index") == []


def test_figures_are_read_from_the_report_without_the_model_or_the_store(subprocess_env, tmp_path):
    loaded = loaded_by([["figures", "--json"]], subprocess_env, tmp_path / "index")
    assert loaded == []
    assert not (tmp_path / "index").exists()


def test_figures_as_csv_open_in_a_spreadsheet_with_the_chinese_intact(subprocess_env, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "figures", "--csv", "--year", "2023", "--status", "target"],
        cwd=PROJECT_ROOT,
        env={**private(subprocess_env, tmp_path / "index"), "PYTHONIOENCODING": "ascii"},  # whatever the terminal says
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8-sig"))))
    assert rows and {(row["year"], row["status"]) for row in rows} == {("2023", "target")}
    assert ("地区生产总值", "6%") in [(row["indicator"], row["text"]) for row in rows]


def test_figures_with_a_bad_status_is_a_usage_error(subprocess_env, tmp_path):
    result = run_cli(["figures", "--status", "done"], subprocess_env, tmp_path / "index")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "invalid choice: 'done'" in result.stderr


def test_reviewed_feedback_is_exported_as_a_golden_file_the_eval_command_accepts(subprocess_env, tmp_path):
    from eval.feedback import open_feedback_store
    from eval.golden import load_golden
    from rag.settings import DEFAULT_REPORT
    from tests.eval.test_feedback import a_down, gdp_review

    index_dir = tmp_path / "index"
    store = open_feedback_store("", index_dir)
    store.save_review(store.add(a_down()), gdp_review())
    listed = run_cli(["feedback", "list", "--status", "reviewed"], subprocess_env, index_dir)
    assert listed.returncode == 0, listed.stderr
    assert "👎 1" in listed.stdout and "那去年呢" in listed.stdout
    exported = run_cli(["feedback", "export", "--output", str(tmp_path / "fb.jsonl")], subprocess_env, index_dir)
    assert exported.returncode == 0, exported.stderr
    (item,) = load_golden(tmp_path / "fb.jsonl", DEFAULT_REPORT)
    assert item.must_include == ("1265亿元",) or list(item.must_include) == ["1265亿元"]


def test_exporting_no_reviewed_feedback_exits_2_saying_so(subprocess_env, tmp_path):
    result = run_cli(["feedback", "export"], subprocess_env, tmp_path / "index")
    assert result.returncode == 2 and result.stderr.startswith("reportqa: ") and "no reviewed feedback" in result.stderr


def test_the_eval_command_loads_the_eval_suite_but_its_help_no_plotting(subprocess_env, tmp_path):
    assert loaded_by([["eval", "--help"]], subprocess_env, tmp_path / "index") == ["eval"]


# --------------------------------------------------------------------------- in process: how errors are told


def test_every_known_error_is_told_in_one_line_with_exit_2(monkeypatch, capsys) -> None:
    from rag.questions import QuestionError

    def fails(args, settings):
        raise QuestionError("问题太长\n/ the question is too long")

    monkeypatch.setattr(cli, "cmd_retrieve", fails)
    assert cli.main(["retrieve", "历城去年GDP多少"]) == 2
    assert capsys.readouterr().err == "reportqa: 问题太长 / the question is too long\n"


def test_the_known_errors_exist_and_are_recognised_with_their_subclasses() -> None:
    for module, name in cli.KNOWN_ERRORS:
        error_class = getattr(importlib.import_module(module), name)
        subclass = type("Narrower", (error_class,), {})
        assert cli.is_known(error_class("x")) and cli.is_known(subclass("x")), name
    assert cli.is_known(PermissionError(13, "Permission denied", "eval/reports"))
    assert not cli.is_known(KeyError("x")) and not cli.is_known(RuntimeError("x")) and not cli.is_known(ValueError("x"))


def test_an_unexpected_error_exits_1_with_one_line_and_the_traceback_in_the_log(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def breaks(args, settings):
        raise KeyError("chunk_id")

    monkeypatch.setattr(cli, "cmd_ask", breaks)
    assert cli.main(["ask", "历城去年GDP多少"]) == 1
    log = cli.error_log()
    assert log.is_relative_to(tmp_path)
    assert capsys.readouterr().err == f"reportqa: unexpected error: KeyError: 'chunk_id'; the details are in {log}\n"
    logged = log.read_text(encoding="utf-8")
    assert "reportqa ask 历城去年GDP多少" in logged
    assert "Traceback (most recent call last)" in logged and "in breaks" in logged


def test_an_invalid_setting_exits_2_naming_the_variable_and_its_value(monkeypatch, capsys) -> None:
    monkeypatch.setenv("REPORTQA_TOP_K", "five")
    assert cli.main(["retrieve", "历城去年GDP多少"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reportqa: ") and "REPORTQA_TOP_K" in err and "'five'" in err and err.count("\n") == 1


def test_the_eval_command_has_its_options_in_its_help(capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["eval", "--help"])
    assert exit.value.code == 0
    help_text = capsys.readouterr().out
    for option in ("--golden FILE", "--configurations", "--gate", "--degrade {dense,keyword}", "--reports DIR"):
        assert option in help_text
