"""One process serves both faces of ReportQA: the JSON API under /api and the Gradio chat at /.

build_app(answerer) -> FastAPI   # any object with .answer(question, history) and .retriever
serve(settings)                  # `reportqa serve`: load the real answerer, listen, block
python -m ui.app                 # the same, configured by REPORTQA_HOST / REPORTQA_PORT
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import swagger_ui
import uvicorn
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from eval.feedback import shared_feedback_store
from rag.answering import default_answerer
from rag.answering.cache import CachedAnswerer
from rag.answering.following import FollowingAnswerer
from rag.settings import Settings
from ui.chat import CSS, THEME, build_blocks
from ui.http_api import api_router, install_error_handlers

FAVICON = Path(__file__).with_name("favicon.svg")
# /docs with Swagger UI 5 from the swagger-ui-py wheel: FastAPI's default page loads it from a CDN, which
# leaves the page blank offline, and Swagger UI before 5 cannot read FastAPI's OpenAPI 3.1 schema.
SWAGGER_UI = Path(swagger_ui.__file__).with_name("static")
DOCS_ASSETS = "/docs/assets"

# Chat answers run on the CPU; a few at once keeps the page responsive without thrashing two cores.
CHAT_CONCURRENCY = 4


def build_app(answerer, settings: Settings | None = None) -> FastAPI:
    """The API and the chat around `answerer`: the real one, or any stand-in with the same
    `.answer(question, history)` and `.retriever` (whose `.index` gives the chunk count and report year)."""
    settings = settings or Settings()
    app = FastAPI(
        title="ReportQA",
        description='济南市历城区2023年政府工作报告问答 API。每个错误都返回 {"error": "中文 / English", "code": "…"}。',
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    install_docs(app)
    # The API routes go first: the Gradio app mounted at "/" would otherwise take every path.
    app.include_router(api_router(answerer, lambda: shared_feedback_store(settings.feedback_url, settings.index_dir)))
    blocks = build_blocks(answerer, settings, report_year=answerer.retriever.index.report_year)
    blocks.queue(default_concurrency_limit=CHAT_CONCURRENCY)
    return gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        theme=THEME,
        css=CSS,
        footer_links=[],  # Gradio's footer opens its English developer panel; the page links /docs itself
        favicon_path=str(FAVICON),
        ssr_mode=False,  # server-side rendering needs Node; the page works without it
    )


def install_docs(app: FastAPI) -> None:
    app.mount(DOCS_ASSETS, StaticFiles(directory=SWAGGER_UI), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="ReportQA API 文档",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url="/docs/favicon.svg",
        )

    @app.get("/docs/favicon.svg", include_in_schema=False)
    def docs_favicon() -> FileResponse:
        return FileResponse(FAVICON, media_type="image/svg+xml")


def serve(settings: Settings | None = None) -> None:
    """Load the answerer (builds the index on first use), then serve until interrupted."""
    settings = settings or Settings.from_env()
    # Replicas on one Chroma server: follow another process's re-ingest; answer repeated questions from the cache.
    app = build_app(CachedAnswerer(FollowingAnswerer(default_answerer(settings)), settings.answer_cache), settings)
    print(f"ReportQA: http://{settings.host}:{settings.port}/  (API: /api/ask, /api/retrieve, /api/health)", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    serve()
