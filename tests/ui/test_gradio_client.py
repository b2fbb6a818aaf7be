"""The Gradio API (/ask, /retrieve) through gradio_client, against the live server."""

from __future__ import annotations

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError


@pytest.fixture(scope="module")
def client(server_url):
    return Client(server_url, verbose=False, download_files=False)


def test_only_the_named_endpoints_are_public(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask", "/retrieve"}


def test_ask(client):
    answer = client.predict("2023年新增学位多少", api_name="/ask")
    assert answer["question"] == "2023年新增学位多少" and not answer["refused"]
    assert "2022" in answer["text"] and "2023" in answer["text"]
    assert answer["citations"] and all("highlight" in c for c in answer["citations"])


def test_ask_with_history(client):
    history = [{"role": "user", "content": "2022年新增了多少学位"}, {"role": "assistant", "content": "新增学位1.7万个[1]。"}]
    answer = client.predict(question="那2023年呢", history=history, api_name="/ask")
    assert any("中小学、幼儿园12所" in c["text"] for c in answer["citations"]), answer


def test_retrieve(client):
    passages = client.predict(question="去年GDP多少", k=3, api_name="/retrieve")
    assert len(passages) == 3
    assert "1265亿元" in passages[0]["text"] and passages[0]["year"] == 2022


def test_bad_question_is_an_app_error_with_the_reason(client):
    with pytest.raises(AppError, match="请输入问题"):
        client.predict("", api_name="/ask")
    with pytest.raises(AppError, match="1 到 50"):
        client.predict(question="去年GDP多少", k=0, api_name="/retrieve")
