"""The app around the chat: API docs that work offline, our own favicon, no Gradio developer panel for citizens.

In-process over the fake index (unit tier): the pages are checked as a browser would fetch them.
"""

from __future__ import annotations

import re

import pytest

from tests.ui.test_http_api import RecordingAnswerer

pytestmark = pytest.mark.slow  # builds the whole Gradio app in-process: seconds, too slow for the unit tier


@pytest.fixture(scope="module")
def app_client(fake_retriever):
    from fastapi.testclient import TestClient

    from ui.app import build_app

    with TestClient(build_app(RecordingAnswerer(fake_retriever))) as client:
        yield client


def test_the_api_docs_load_every_asset_from_this_server(app_client):
    page = app_client.get("/docs")
    assert page.status_code == 200 and "ReportQA API 文档" in page.text
    assets = re.findall(r"""(?:src|href)=["']?([^"' >]+)""", page.text)
    assert assets and all(url.startswith("/") for url in assets), assets  # nothing from a CDN
    for url in assets:
        response = app_client.get(url)
        assert response.status_code == 200 and response.content, url
    assert "SwaggerUIBundle" in app_client.get("/docs/assets/swagger-ui-bundle.js").text


def test_the_openapi_schema_is_ours(app_client):
    schema = app_client.get("/openapi.json").json()
    assert schema["info"]["title"] == "ReportQA" and "error" in schema["info"]["description"]
    assert {"/api/ask", "/api/retrieve", "/api/feedback", "/api/figures", "/api/ready", "/api/live"} <= set(schema["paths"])


def test_the_page_has_our_favicon_and_no_gradio_api_footer(app_client):
    config = app_client.get("/config").json()
    assert config["footer_links"] == []
    icon = app_client.get("/favicon.ico")
    assert icon.status_code == 200 and b"<svg" in icon.content
