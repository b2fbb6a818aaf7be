"""The JSON API of a live server, with the real answerer behind it."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

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


@pytest.fixture(scope="module")
def api(server_url):
    with httpx.Client(base_url=server_url + "api/", timeout=120) as client:
        yield client


def assert_error(response: httpx.Response, *statuses: int) -> str:
    assert response.status_code in statuses, (response.status_code, response.text)
    body = response.json()
    assert list(body) == ["error"] and isinstance(body["error"], str) and body["error"], body
    return body["error"]


def test_health_counts_the_indexed_chunks(api):
    body = api.get("health").json()
    assert body["status"] == "ok" and body["chunks"] > 100


def test_ask_answers_with_both_years_and_citations(api, record_timing):
    started = time.monotonic()
    response = api.post("ask", json={"question": "2023年新增学位多少"})
    record_timing("/api/ask latency, 2023年新增学位多少 (s)", time.monotonic() - started)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["question"] == "2023年新增学位多少" and answer["refused"] is False
    assert "2022" in answer["text"] and "2023" in answer["text"]
    assert "[1]" in answer["text"]
    assert answer["citations"], answer
    cited = answer["citations"]
    assert {"text", "context", "section", "page", "year", "highlight"} <= set(cited[0])
    assert any("1.7万" in c["text"] for c in cited)  # the 2022 figure: 新增学位1.7万个
    assert {c["year"] for c in cited} == {2022, 2023}


def test_ask_follows_up_on_the_chat_history(api):
    # "那2023年呢" alone says nothing; after a question on 2022 school places it asks for 2023's.
    history = [
        {"role": "user", "content": "2022年新增了多少学位"},
        {"role": "assistant", "content": "2022年（已完成）：新建19处中小学、幼儿园，新增学位1.7万个[1]。"},
    ]
    response = api.post("ask", json={"question": "那2023年呢", "history": history})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert any("中小学、幼儿园12所" in c["text"] for c in answer["citations"]), answer


def test_ask_refuses_what_the_report_does_not_say(api):
    answer = api.post("ask", json={"question": "历城区有多少人口"}).json()
    assert answer["refused"] is True
    assert "报告未提及" in answer["text"]


@pytest.mark.parametrize("k", [1, 5, 12])
def test_retrieve_returns_k_passages(api, k):
    response = api.post("retrieve", json={"question": "2022年新建了多少5G基站", "k": k})
    assert response.status_code == 200, response.text
    passages = response.json()["passages"]
    assert len(passages) == k
    assert "1270个5G基站" in passages[0]["text"]
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


def test_error_messages_are_bilingual(api):
    message = assert_error(api.post("ask", json={"question": ""}), 422)
    assert "请输入问题" in message and "empty" in message
    message = assert_error(api.post("retrieve", json={"question": "GDP", "k": 99}), 422)
    assert "1 到 50" in message and "1 to 50" in message


def test_unknown_api_paths_answer_in_the_same_format(api):
    assert_error(api.get("ask"), 404, 405)
    assert_error(api.post("nope", json={}), 404)


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
