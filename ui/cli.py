"""The `reportqa` command: ingest, retrieve, ask, figures, serve, eval, feedback.

Each command imports what it needs when it runs: `reportqa ask` loads neither the eval suite,
matplotlib, gradio nor llama-index.

Exit codes: 0 done; 2 a mistake the user can fix (a bad question, file, golden set or setting, a store
that cannot be reached or read, a model that cannot load), told in one line; 1 the eval gate failed,
or something unexpected, told in one line with the traceback in the log file it names.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rag.offline import go_offline

go_offline()

# The errors that explain themselves in one line, by the module that defines (or re-exports) them. They
# are looked up only in modules already loaded, because an error can only come from a loaded module:
# telling errors apart never imports Chroma (StoreError) or the model for a command that did not need it.
KNOWN_ERRORS = (
    ("ingest.load", "DocumentError"),
    ("rag.settings", "SettingsError"),
    ("rag.figures", "FigureFilterError"),
    ("rag.questions", "QuestionError"),
    ("rag.store.chroma", "StoreError"),
    ("rag.store.index", "EmptyIndexError"),
    ("rag.models.errors", "EmbeddingModelError"),
    ("rag.models.errors", "E5SourceError"),
    ("rag.models.errors", "ModelCheckError"),
    ("eval.golden", "GoldenFileError"),
    ("eval.gate", "ThresholdsError"),
    ("eval.configurations", "ConfigurationError"),
    ("eval.feedback.records", "FeedbackError"),
)


def is_known(error: BaseException) -> bool:
    if isinstance(error, OSError):  # a file or folder that cannot be read or written; the message names it
        return True
    return any(module in sys.modules and isinstance(error, getattr(sys.modules[module], name)) for module, name in KNOWN_ERRORS)


def _print_passages(passages, as_json: bool) -> None:
    if as_json:
        print(json.dumps([p.to_dict() for p in passages], ensure_ascii=False, indent=2))
        return
    for n, p in enumerate(passages, start=1):
        print(f"[{n}] {p.score:.3f}  {p.year}  第{p.page}页  {p.section}\n    {p.text}\n")


def cmd_ingest(args, settings) -> int:
    from ingest.load import load_chunks

    paths = [Path(p) for p in args.files] or list(settings.documents)
    for path in paths:  # an unusable file is reported before the model and the store are opened
        load_chunks(path, settings.chunk_chars)
    from rag.store.index import Index

    start = time.perf_counter()
    index = Index.open(settings, sync=False)
    for report in index.ingest(paths):
        print(f"{report.doc_id}: {report.added} new, {report.removed} removed, {report.kept} unchanged chunks")
    print(
        f"index: {len(index.chunks)} chunks in {settings.chroma_url or settings.index_dir} ({time.perf_counter() - start:.1f} s)"
    )
    return 0


def cmd_retrieve(args, settings) -> int:
    from rag.questions import check_question

    # a bad question is refused before the index is opened (or built), and before Chroma is even imported
    check_question(args.question, settings.top_k if args.k is None else args.k)
    from rag.retrieval.retriever import Retriever

    _print_passages(Retriever.load(settings).retrieve(args.question, k=args.k), args.json)
    return 0


def cmd_ask(args, settings) -> int:
    from rag.questions import check_question

    check_question(args.question)  # a bad question is refused before the index is opened (or built)
    from rag.answering import default_answerer

    result = default_answerer(settings).answer(args.question)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(result.text + "\n")
    for n, p in enumerate(result.citations, start=1):
        print(f"[{n}] {p.year} 第{p.page}页 {p.section}\n    {p.text}")
    return 0


def cmd_figures(args, settings) -> int:
    from rag.figures import STATUS_LABELS, FigureFilter, figures_of_reports, filter_figures, to_csv

    selection = FigureFilter(year=args.year, status=args.status or "", section=args.section, query=args.search)
    figures = filter_figures(figures_of_reports(list(settings.documents)), selection)
    if args.csv:  # bytes, so the BOM and the Chinese survive whatever encoding the terminal declares
        sys.stdout.flush()
        sys.stdout.buffer.write(to_csv(figures).encode("utf-8"))
        return 0
    if args.json:
        print(json.dumps([f.to_dict() for f in figures], ensure_ascii=False, indent=2))
        return 0
    section = None
    for f in figures:
        if f.section != section:
            section = f.section
            print(f"\n{section}")
        label = f"{f.year}年{STATUS_LABELS[f.status]}"
        print(f"  {f.indicator}：{f.text}（{label}，第{f.page}页）")
    print(f"\n{len(figures)} 个数字 / figures")
    return 0


def cmd_serve(args, settings) -> int:
    from ui.app import serve

    serve(settings.with_(host=args.host or settings.host, port=args.port or settings.port))
    return 0


def cmd_eval(args, settings) -> int:
    from eval.command import main as eval_main

    return eval_main(args, settings)


def cmd_feedback(args, settings) -> int:
    from eval.feedback import open_feedback_store, write_golden

    store = open_feedback_store(settings.feedback_url, settings.index_dir)
    if args.action == "list":
        counts = store.counts()
        print(f"👍 {counts.up}  👎 {counts.down}  待审 / unreviewed {counts.unreviewed}")
        for item in store.for_review(args.status, args.limit):
            print(json.dumps(item.to_dict(), ensure_ascii=False))
        return 0
    lines = store.export_golden()
    if args.output:
        write_golden(lines, Path(args.output))
        print(f"{len(lines)} 条 / golden lines written to {args.output}", file=sys.stderr)
    else:
        print("\n".join(lines))
    return 0


def eval_arguments(parser: argparse.ArgumentParser) -> None:
    from eval.command import add_arguments

    add_arguments(parser)


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser that can leave adding its arguments until that subcommand is chosen
    (or its help asked for), so that their defaults and choices load only then."""

    def __init__(self, *args, add_arguments: Callable[[argparse.ArgumentParser], None] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_arguments = add_arguments

    def _complete(self) -> None:
        if self._add_arguments is not None:
            add, self._add_arguments = self._add_arguments, None
            add(self)

    def parse_known_args(self, args=None, namespace=None):
        self._complete()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self._complete()
        return super().format_help()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportqa", description="济南市历城区2023年政府工作报告问答 / question answering over the report"
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=CommandParser)

    ingest = commands.add_parser("ingest", help="build or update the index from report files")
    ingest.add_argument("files", nargs="*", help="report text files (default: the configured report)")
    ingest.set_defaults(run=cmd_ingest)

    retrieve = commands.add_parser("retrieve", help="show the passages that match a question")
    retrieve.add_argument("question")
    retrieve.add_argument("-k", type=int, default=None, help="how many passages (1-50; default: REPORTQA_TOP_K)")
    retrieve.add_argument("--json", action="store_true", help="print JSON")
    retrieve.set_defaults(run=cmd_retrieve)

    ask = commands.add_parser("ask", help="answer a question with cited passages")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.set_defaults(run=cmd_ask)

    figures = commands.add_parser("figures", help="数字速览: every figure of the report, as a table, JSON or CSV")
    output = figures.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON records")
    output.add_argument("--csv", action="store_true", help="print CSV (UTF-8 with BOM, opens in Excel)")
    figures.add_argument("--year", type=int, default=None, help="only this year's figures (2022, 2023)")
    figures.add_argument("--status", choices=("achieved", "estimate", "target"), default=None, help="结果/预计/目标")
    figures.add_argument("--section", default="", help="only figures under this section path (a prefix)")
    figures.add_argument("--search", default="", help="only figures whose indicator or sentence holds these words")
    figures.set_defaults(run=cmd_figures)

    serve = commands.add_parser("serve", help="start the web chat and HTTP API")
    serve.add_argument("--host", default="")
    serve.add_argument("--port", type=int, default=0)
    serve.set_defaults(run=cmd_serve)

    feedback = commands.add_parser("feedback", help="citizens' 👍/👎: list them, export reviewed ones as golden lines")
    feedback.add_argument("action", choices=("list", "export"))
    feedback.add_argument("--status", choices=("unreviewed", "reviewed", "all"), default="unreviewed", help="for list")
    feedback.add_argument("--limit", type=int, default=100, help="for list: at most this many")
    feedback.add_argument("--output", default="", help="for export: the golden file to write (default: print)")
    feedback.set_defaults(run=cmd_feedback)

    # Its arguments come from the eval suite, which is loaded only for `reportqa eval`.
    evaluate = commands.add_parser("eval", help="evaluate retrieval and answers on a golden set", add_arguments=eval_arguments)
    evaluate.set_defaults(run=cmd_eval)
    return parser


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def error_log() -> Path:
    """Where unexpected errors are logged with their traceback (the user's log folder, XDG_STATE_HOME)."""
    from platformdirs import user_log_path

    return user_log_path("reportqa") / "reportqa.log"


def log_unexpected(error: BaseException, argv: list[str]) -> Path | None:
    """Append the command line and the error's traceback to the log file; None when it cannot be written."""
    path = error_log()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} reportqa {' '.join(argv)}\n")
            out.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return path


def main(argv: list[str] | None = None) -> int:
    from rag.settings import Settings

    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, Settings.from_env())
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if is_known(error):
            print(f"reportqa: {one_line(error)}", file=sys.stderr)
            return 2
        where = log_unexpected(error, argv)
        details = f"; the details are in {where}" if where else ""
        print(f"reportqa: unexpected error: {type(error).__name__}: {one_line(error)}{details}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
