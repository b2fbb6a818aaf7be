"""The `reportqa` command: ingest, retrieve, ask, serve, eval."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rag.offline import go_offline

go_offline()


def _print_passages(passages, as_json: bool) -> None:
    if as_json:
        print(json.dumps([p.to_dict() for p in passages], ensure_ascii=False, indent=2))
        return
    for n, p in enumerate(passages, start=1):
        print(f"[{n}] {p.score:.3f}  {p.year}  第{p.page}页  {p.section}\n    {p.text}\n")


def cmd_ingest(args, settings) -> int:
    from ingest.load import load_chunks
    from rag.store.index import Index

    paths = [Path(p) for p in args.files] or list(settings.documents)
    for path in paths:  # an unusable file is reported before the model and the store are opened
        load_chunks(path, settings.chunk_chars)
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
    from rag.retrieval.retriever import Retriever

    check_question(
        args.question, settings.top_k if args.k is None else args.k
    )  # a bad question is refused before the index is opened (or built)
    _print_passages(Retriever.load(settings).retrieve(args.question, k=args.k), args.json)
    return 0


def cmd_ask(args, settings) -> int:
    from rag.answering import default_answerer
    from rag.questions import check_question

    check_question(args.question)  # a bad question is refused before the index is opened (or built)
    result = default_answerer(settings).answer(args.question)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(result.text + "\n")
    for n, p in enumerate(result.citations, start=1):
        print(f"[{n}] {p.year} 第{p.page}页 {p.section}\n    {p.text}")
    return 0


def cmd_serve(args, settings) -> int:
    from ui.app import serve

    serve(settings.with_(host=args.host or settings.host, port=args.port or settings.port))
    return 0


def cmd_eval(args, settings) -> int:
    from eval.run import main as eval_main

    return eval_main(args, settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportqa", description="济南市历城区2023年政府工作报告问答 / question answering over the report"
    )
    commands = parser.add_subparsers(dest="command", required=True)

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

    serve = commands.add_parser("serve", help="start the web chat and HTTP API")
    serve.add_argument("--host", default="")
    serve.add_argument("--port", type=int, default=0)
    serve.set_defaults(run=cmd_serve)

    evaluate = commands.add_parser("eval", help="evaluate retrieval and answers on a golden set")
    from eval.run import add_arguments

    add_arguments(evaluate)
    evaluate.set_defaults(run=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ingest.load import DocumentError
    from rag.settings import Settings

    args = build_parser().parse_args(argv)
    known_errors: tuple[type[Exception], ...] = (DocumentError, ValueError, OSError)
    try:
        settings = Settings.from_env()
        return args.run(args, settings)
    except KeyboardInterrupt:
        return 130
    except known_errors as error:  # QuestionError, StoreError, EmbeddingModelError, GoldenFileError… all explain themselves
        print(f"reportqa: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(f"reportqa: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
