"""The JSON API: its contract in-process over the fake index, then a live server with the real answerer.

In-process (unit tier): ui.http_api's routes and error handlers on a bare FastAPI app, with a recording
answerer in front of the fake retriever, so that what the API passes on and gives back can be seen.
Live (`slow`, `model`): `python -m ui.app`, as `reportqa serve` runs it, for answers and concurrency.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import get_args

import httpx
import pytest

from rag.questions import check_question
from rag.types import Answer
from ui.api_schema import ErrorResponse

# Questions whose answers carry a figure found once in the report (checked against
# data/lichengqu_2023_report.txt), so each concurrent client can tell its own answer apart.
FIGURES = {
    "去年GDP多少": "1265亿元",
    "2022年新建了多少5G基站": "1270个5G基站",
    "2022年优良天数有多少天": "244天",
    "2022年一般公共预算收入是多少": "126亿元",
    "2022年市场主体总量达到多少户": "21.7万户",
    "2022年落实减税退税降费多少": "60亿元",
    "2022年粮食总产量多少": "10.5万吨",
    "2022年全区工业总产值多少": "397亿元",
    "2022年投入抗疫资金多少": "5.3亿元",
    "2022年完成核酸检测多少人次": "1.23亿人次",
    "2022年接种新冠疫苗多少剂次": "56.5万剂次",
    "2022年新建多少处垃圾分类房": "54处",
    "2022年增设了多少处群众体育健身设施": "58处",
    "2022年开发了多少个公益性岗位": "2680个",
    "2022年设立了多少处发热门诊": "22处",
    "2022年新建多少处中小学和幼儿园": "19处",
    "2023年筹集多少套保障性租赁住房": "7100套",
    "2023年新建改扩建多少所中小学和幼儿园": "12所",
    "2023年开发多少个城乡公益性岗位": "2000个",
    "2023年为多少户家庭发放租赁住房补贴": "840户",
}
HISTORY = [
    {"role": "user", "content": "2022年新增了多少学位"},
    {"role": "assistant", "content": "2022年（已完成）：新建19处中小学、幼儿园，新增学位1.7万个[1]。"},
]


class RecordingAnswerer:
    """Checks the question as the real answerer does, cites the best passage, and remembers every call."""

    def __init__(self, retriever, fails: bool = False):
        self.retriever = retriever
        self.fails = fails
        self.calls: list[tuple[str, list | None]] = []

    def answer(self, question: str, history: list | None = None) -> Answer:
        if self.fails:
            raise RuntimeError("the answerer broke: secret details")
        question = check_question(question)
        self.calls.append((question, history))
        (best,) = self.retriever.retrieve(question, k=1)
        return Answer(question, f"{best.text}[1]", [best], False, best.year, highlights=[best.text])


def client_for(answerer, feedback=None):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from ui.http_api import api_router, install_error_handlers

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(api_router(answerer, feedback or (lambda: pytest.fail("no feedback expected here"))))
    return TestClient(app, base_url="http://testserver/api/", raise_server_exceptions=False)


@pytest.fixture(scope="module")
def answerer(fake_retriever) -> RecordingAnswerer:
    return RecordingAnswerer(fake_retriever)


@pytest.fixture(scope="module")
def api(answerer):
    with client_for(answerer) as client:
        yield client


# Every error the server sends must carry a code the OpenAPI schema documents.
ERROR_CODES = set(get_args(ErrorResponse.model_fields["code"].annotation))


def assert_error(response: httpx.Response, *statuses: int) -> str:
    assert response.status_code in statuses, (response.status_code, response.text)
    body = response.json()
    assert list(body) == ["error", "code"] and isinstance(body["error"], str) and body["error"], body
    assert body["code"] in ERROR_CODES, body
    return body["error"]


# --------------------------------------------------------------------------- the contract, in-process


def test_health_counts_the_indexed_chunks(api, fake_retriever):
    chunks = len(fake_retriever.index.chunks)
    assert api.get("health").json() == {"status": "ok", "chunks": chunks, "stored": chunks}
    assert api.get("ready").json() == api.get("health").json()
    assert api.get("live").json() == {"status": "alive"}


class StoreDown:
    """An index whose vector store no longer answers, as when the Chroma server stops."""

    def __init__(self, index):
        self.chunks = index.chunks

    @property
    def store(self):
        return self

    def count(self) -> int:
        raise ConnectionError("Could not connect to tenant default_tenant. Are you sure it exists?")


def test_with_the_vector_store_down_ask_still_answers_from_keywords_flagged_degraded(fake_retriever, monkeypatch):
    from rag.answering.answerer import Answerer
    from rag.store.chroma import StoreError

    def unreachable(*_args):
        raise StoreError("the Chroma store cannot be reached: connection refused")

    monkeypatch.setattr(fake_retriever.index.store, "nearest", unreachable)
    with client_for(Answerer(fake_retriever)) as client:
        response = client.post("ask", json={"question": "2022年新增了多少学位"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["degraded"] is True and "1.7万个" in body["text"]
    assert all(c["degraded"] for c in body["citations"])


def test_readiness_says_503_and_why_when_the_vector_store_is_unreachable(fake_retriever):
    class Retriever:
        index = StoreDown(fake_retriever.index)

    with client_for(RecordingAnswerer(Retriever())) as client:
        for path in ("ready", "health"):
            assert "vector store is unreachable" in assert_error(client.get(path), 503)
        assert client.get("live").json() == {"status": "alive"}  # the process itself is fine: no restart


def test_readiness_says_503_when_another_model_wrote_the_stored_vectors(fake_retriever, monkeypatch):
    mismatch = "the stored vectors were written by model-a, this process embeds with model-b"
    monkeypatch.setattr(type(fake_retriever.index), "model_mismatch", property(lambda index: mismatch))

    with client_for(RecordingAnswerer(fake_retriever)) as client:
        assert mismatch in assert_error(client.get("ready"), 503)
        assert client.get("live").json() == {"status": "alive"}


def test_figures_lists_every_figure_as_plain_records(api):
    from rag.figures import figures_of_reports
    from rag.settings import DEFAULT_REPORT

    response = api.get("figures")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["figures"]) >= 150
    # the same records as `reportqa figures --json`, which reads the report file without the index
    assert body["figures"] == [f.to_dict() for f in figures_of_reports([DEFAULT_REPORT])]


def test_figures_filtered_to_2023_targets_are_the_targets(api):
    figures = api.get("figures", params={"year": 2023, "status": "target"}).json()["figures"]
    assert figures and {(f["year"], f["status"]) for f in figures} == {(2023, "target")}
    assert {"地区生产总值", "农村人均可支配收入"} <= {f["indicator"] for f in figures}
    schools = api.get("figures", params={"search": "学位"}).json()["figures"]
    assert ("新增学位", "1.7万个", 2022, "achieved") in [(f["indicator"], f["text"], f["year"], f["status"]) for f in schools]


@pytest.mark.parametrize("params, says", [({"status": "done"}, "achieved, estimate, target"), ({"year": "去年"}, "year")])
def test_figures_with_a_bad_filter_get_an_error_body(api, params, says):
    assert says in assert_error(api.get("figures", params=params), 422)


def test_ask_returns_the_answer_with_its_citations(api, answerer):
    response = api.post("ask", json={"question": "  2022年新建了多少5G基站 "})
    assert response.status_code == 200, response.text
    body = response.json()
    assert answerer.calls[-1] == ("2022年新建了多少5G基站", None)  # stripped, no history
    assert {"question", "text", "refused", "year", "citations"} <= set(body)
    assert body["question"] == "2022年新建了多少5G基站" and body["refused"] is False and body["text"].endswith("[1]")
    (cited,) = body["citations"]
    assert {"chunk_id", "text", "context", "section", "page", "year", "score", "highlight"} <= set(cited)
    assert cited["highlight"] == cited["text"]


def test_ask_passes_the_chat_history_on_as_given(api, answerer):
    response = api.post("ask", json={"question": "那2023年呢", "history": HISTORY})
    assert response.status_code == 200, response.text
    assert answerer.calls[-1] == ("那2023年呢", HISTORY)


@pytest.mark.parametrize("k", [1, 5, 12])
def test_retrieve_returns_the_retrievers_k_passages(api, fake_retriever, k):
    response = api.post("retrieve", json={"question": "2022年新建了多少5G基站", "k": k})
    assert response.status_code == 200, response.text
    passages = response.json()["passages"]
    assert [p["chunk_id"] for p in passages] == [p.chunk_id for p in fake_retriever.retrieve("2022年新建了多少5G基站", k=k)]
    assert {"chunk_id", "text", "context", "section", "page", "year", "score"} <= set(passages[0])


def test_retrieve_defaults_to_five(api):
    assert len(api.post("retrieve", json={"question": "去年GDP多少"}).json()["passages"]) == 5


@pytest.mark.parametrize(
    "path, body",
    [
        ("ask", {}),  # missing field
        ("ask", {"question": 42}),  # wrong type
        ("ask", {"question": None}),
        ("ask", {"question": ""}),  # empty
        ("ask", {"question": "   "}),
        ("ask", {"question": "问" * 501}),  # over-long
        ("ask", {"question": "😀😀😀"}),  # nothing searchable
        ("ask", {"question": "去年GDP多少", "history": "not a list"}),
        ("ask", {"question": "去年GDP多少", "history": [{"role": "bot", "content": "hi"}]}),
        ("ask", {"question": "去年GDP多少", "history": [{"role": "user", "content": "问"}] * 101}),  # too long a chat
        ("ask", ["去年GDP多少"]),  # not an object
        ("retrieve", {"k": 5}),
        ("retrieve", {"question": "去年GDP多少", "k": 0}),  # k out of range
        ("retrieve", {"question": "去年GDP多少", "k": 51}),
        ("retrieve", {"question": "去年GDP多少", "k": "5"}),  # wrong type
        ("retrieve", {"question": "去年GDP多少", "k": 2.5}),
        ("retrieve", {"question": "去年GDP多少", "k": True}),
        ("retrieve", {"question": ""}),
    ],
)
def test_bad_requests_get_an_error_body(api, path, body):
    assert_error(api.post(path, json=body), 400, 422)


@pytest.mark.parametrize("path", ["ask", "retrieve"])
def test_invalid_json_gets_an_error_body(api, path):
    response = api.post(path, content=b'{"question": "GDP', headers={"content-type": "application/json"})
    assert "JSON" in assert_error(response, 400)


def test_error_messages_are_bilingual_and_name_the_field(api):
    message = assert_error(api.post("ask", json={"question": ""}), 422)
    assert "请输入问题" in message and "empty" in message
    message = assert_error(api.post("retrieve", json={"question": "GDP", "k": 99}), 422)
    assert "1 到 50" in message and "1 to 50" in message
    message = assert_error(api.post("ask", json={"question": "去年GDP多少", "history": [{"role": "bot", "content": "x"}]}), 422)
    assert "history.0.role" in message and "user" in message and "assistant" in message


def test_unknown_api_paths_answer_in_the_same_format(api):
    assert "/api/ask" in assert_error(api.get("ask"), 404, 405)
    assert "POST /api/nope" in assert_error(api.post("nope", json={}), 404)


@pytest.mark.parametrize(
    "method, path, body, code",
    [
        ("post", "ask", b'{"question": "GDP', "invalid_json"),
        ("post", "ask", {}, "invalid_request"),
        ("post", "ask", {"question": "  "}, "invalid_question"),
        ("post", "retrieve", {"question": "GDP", "k": 0}, "invalid_question"),
        ("get", "figures?status=done", None, "invalid_filter"),
        ("get", "figures?year=去年", None, "invalid_request"),
        ("get", "no-such-thing", None, "not_found"),
    ],
)
def test_every_error_carries_a_code_for_programs(api, method, path, body, code):
    if isinstance(body, bytes):
        response = api.post(path, content=body, headers={"content-type": "application/json"})
    elif method == "post":
        response = api.post(path, json=body)
    else:
        response = api.get(path)
    assert_error(response, 400, 404, 422)
    assert response.json()["code"] == code


def test_the_openapi_schema_documents_the_error_shape_the_server_returns(api):
    schema = api.get("http://testserver/openapi.json").json()
    assert "HTTPValidationError" not in str(schema)  # FastAPI's {"detail": [...]}, which the server never sends
    ask = schema["paths"]["/api/ask"]["post"]["responses"]
    assert ask["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert ask["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/AskResponse")
    error = schema["components"]["schemas"]["ErrorResponse"]
    assert set(error["properties"]) == {"error", "code"}
    answer = schema["components"]["schemas"]["AskResponse"]["properties"]
    assert {"text", "refused", "degraded", "citations"} <= set(answer)
    ready = schema["paths"]["/api/ready"]["get"]["responses"]
    assert ready["503"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")


def test_feedback_is_stored_with_its_answer_and_nothing_about_the_caller(fake_retriever, tmp_path):
    from eval.feedback import open_feedback_store

    store = open_feedback_store("", tmp_path)
    body = {
        "rating": "down",
        "question": "那2023年呢",
        "answer": "2022年（已完成）：新增学位1.7万个[1]。",
        "history": HISTORY,
        "citations": [{"chunk_id": "c1", "text": "新增学位1.7万个。", "section": "一、2022年工作回顾", "page": 10, "year": 2022}],
        "reason": "wrong_year",
        "comment": "问的是今年",
    }
    with client_for(RecordingAnswerer(fake_retriever), lambda: store) as client:
        response = client.post("feedback", json=body, headers={"x-forwarded-for": "203.0.113.7"})
        assert response.status_code == 201, response.text
        (item,) = store.for_review("unreviewed")
        assert item.id == response.json()["id"]
        assert (item.feedback.question, item.feedback.reason, item.feedback.comment) == ("那2023年呢", "wrong_year", "问的是今年")
        assert item.feedback.history == tuple(HISTORY) and item.feedback.citations[0].page == 10
        assert "203.0.113.7" not in str(item.to_dict()) and "testclient" not in str(item.to_dict())
        assert client.post("feedback", json={**body, "rating": "up", "reason": None, "comment": ""}).status_code == 201
        assert store.counts().up == 1
        # a bad rating or reason is refused by the schema; a comment with a 👍 by the store's checks
        assert assert_error(client.post("feedback", json={**body, "rating": "meh"}), 422)
        assert assert_error(client.post("feedback", json={**body, "reason": "bored"}), 422)
        refused = client.post("feedback", json={**body, "rating": "up"})
        assert_error(refused, 422)
        assert refused.json()["code"] == "invalid_feedback"
    assert store.counts().down == 1  # nothing refused was stored


def test_feedback_while_the_database_is_down_is_a_503_not_a_500(fake_retriever, tmp_path):
    from eval.feedback import open_feedback_store

    def unreachable():
        return open_feedback_store("postgresql://reportqa@127.0.0.1:9/feedback", tmp_path)

    with client_for(RecordingAnswerer(fake_retriever), unreachable) as client:
        response = client.post("feedback", json={"rating": "up", "question": "去年GDP多少", "answer": "1265亿元[1]"})
    assert "feedback" in assert_error(response, 503)
    assert response.json()["code"] == "feedback_unavailable"


def test_an_unexpected_failure_is_a_500_with_an_apology_and_no_details(fake_retriever):
    with client_for(RecordingAnswerer(fake_retriever, fails=True)) as client:
        message = assert_error(client.post("ask", json={"question": "去年GDP多少"}), 500)
    assert "服务器出错了" in message and "internal server error" in message
    assert "secret" not in message and "Traceback" not in message


# --------------------------------------------------------------------------- the live server


@pytest.fixture(scope="module")
def live(server_url):
    with httpx.Client(base_url=server_url + "api/", timeout=120) as client:
        yield client


def test_the_live_server_answers_with_both_years_and_citations(live, record_timing):
    started = time.monotonic()
    response = live.post("ask", json={"question": "2023年新增学位多少"})
    record_timing("/api/ask latency, 2023年新增学位多少 (s)", time.monotonic() - started)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["question"] == "2023年新增学位多少" and answer["refused"] is False
    assert "2022" in answer["text"] and "2023" in answer["text"]
    assert "[1]" in answer["text"]
    cited = answer["citations"]
    assert cited and {"text", "context", "section", "page", "year", "highlight"} <= set(cited[0])
    assert any("1.7万" in c["text"] for c in cited)  # the 2022 figure: 新增学位1.7万个
    assert {c["year"] for c in cited} == {2022, 2023}


def test_the_live_server_follows_up_on_the_chat_history(live):
    # "那2023年呢" alone says nothing; after a question on 2022 school places it asks for 2023's.
    response = live.post("ask", json={"question": "那2023年呢", "history": HISTORY})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert any("中小学、幼儿园12所" in c["text"] for c in answer["citations"]), answer


def test_the_live_server_refuses_what_the_report_does_not_say(live):
    answer = live.post("ask", json={"question": "历城区有多少人口"}).json()
    assert answer["refused"] is True
    assert "报告未提及" in answer["text"]


def test_the_live_servers_api_errors_are_not_swallowed_by_the_chat_page(live):
    # The Gradio page is mounted at "/": the API's own 404 and validation answers must still win.
    assert "/api/ask" in assert_error(live.post("nope", json={}), 404)
    assert "请输入问题" in assert_error(live.post("ask", json={"question": ""}), 422)
    assert live.get("health").json()["chunks"] > 100


def test_twenty_concurrent_clients_each_get_their_own_answer(server_url, record_timing):
    def ask(question: str) -> tuple[str, dict, float]:
        started = time.monotonic()
        with httpx.Client(timeout=300) as client:  # a client of its own, like a separate citizen
            response = client.post(server_url + "api/ask", json={"question": question})
        assert response.status_code == 200, response.text
        return question, response.json(), time.monotonic() - started

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(FIGURES)) as pool:
        results = list(pool.map(ask, FIGURES))
    record_timing("20 concurrent /api/ask, wall (s)", time.monotonic() - started)
    record_timing("20 concurrent /api/ask, slowest (s)", max(seconds for *_, seconds in results))

    for question, answer, _ in results:
        figure = FIGURES[question]
        assert answer["question"] == question
        assert not answer["refused"], (question, answer["text"])
        assert any(figure in c["text"] for c in answer["citations"]), (question, figure, answer)
