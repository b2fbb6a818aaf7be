"""Lists the report spells out over several sentences or sections, for a list question (read by decide.py).

A lead-in announces them ("存在不少矛盾和问题：" then one sentence per item), the next sentence names as many items
as its head counts ("四大片区。…、…、…、…"), or a heading opens sections ("重点抓好以下七个方面工作：").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answering.evidence import CHINESE_NUMBERS, ENUMERATION, asked_count, clauses_of
from rag.answering.intent import Intent
from rag.answering.knowledge import Knowledge, ReportSentence
from rag.answering.policy import AnswerPolicy
from rag.answering.select import Candidate
from rag.text.normalize import HAN

# How many items a head counts ("遴选了15件", "以下七个方面").
COUNT = re.compile(r"(\d+|[一二三四五六七八九十])(?:个|件|项|条|大|种|类|方面|家|所|处|座|批|只)")
# The characters of a verb before a noun ("推进"): they name nothing of their own.
VERB_CHARS = 2


def names_as_a_whole(text: str, noun: str, question: str) -> bool:
    """Does the sentence speak of the things asked for only as a whole? It lists nothing, and each clause with their
    word names nothing before it but the question's own words and a verb ("推进历城职专优势专业建设" of "历城职专有
    哪些优势专业"; "中物九鼎成功备案国家级科技企业孵化器" names one)."""
    clauses = clauses_of(text)
    if any(ENUMERATION.search(c) or "、" in c for c in clauses):
        return False
    holding = [c for c in clauses if noun in c]
    for clause in holding:
        named_before = set("".join(HAN.findall(clause[: clause.index(noun)])))
        if len(named_before - set(question)) > VERB_CHARS:
            return False
    return bool(holding)


def counted_as(head: str, items: int, question: str = "") -> bool:
    """A head that counts its list ("遴选了15件民生实事：", "以下七个方面工作：") must count these items, and so must a
    question that names its count ("“四张清单”是哪四张")."""
    asked = asked_count(question)
    if asked and asked != items:
        return False
    count = COUNT.search(head)
    if not count:
        return True
    number = count.group(1)
    return (int(number) if number.isdigit() else CHINESE_NUMBERS.get(number, -1)) == items


@dataclass(frozen=True)
class FoundList:
    """A list's head, with its items as section names or as the sentences that follow it."""

    head: Candidate
    items: tuple[str, ...] = ()
    sentences: tuple[ReportSentence, ...] = ()


class ListFinder:
    def __init__(self, knowledge: Knowledge, policy: AnswerPolicy):
        self.knowledge = knowledge
        self.policy = policy

    def find(self, intent: Intent, about: list[Candidate], fitting: list[Candidate]) -> FoundList | None:
        """A list spelled out after a lead-in ("存在不少矛盾和问题：" then one sentence per item), in the sentence
        after the one that names it, or by the sections a lead-in or heading opens ("重点抓好以下七个方面工作：",
        "坚持勤政为民，建设服务政府。" under 三、全面加强政府自身建设)."""
        best_fit = max((c.coverage for c in fitting), default=0.0)
        for head in about:
            path = head.sentence.chunk.section.split(" > ")
            name = head.text.rstrip("。：；！？ ")
            parent = " > ".join(path[: path.index(name)]) if name in path else ""
            if head.sentence.non_answer and intent.topic and intent.topic[0] in parent.lower():
                sections = self.knowledge.children_of(parent)
                if len(sections) >= 2:
                    return FoundList(head, items=tuple(sections))
        for head in about[: self.policy.list_heads_read]:
            if head.coverage < best_fit:
                continue
            if head.text.endswith(("：", ":")):
                # The items follow in its own paragraph, or else are the sections it opens.
                following = self._sentences_following(head)
                if following and counted_as(head.text, len(following), intent.text):
                    return FoundList(head, sentences=tuple(following))
                sections = self._sections_opened(head)
                if len(sections) >= 2 and counted_as(head.text, len(sections), intent.text):
                    return FoundList(head, items=tuple(sections))
            elif head is about[0] and not head.fits and head.sentence.following is not None and COUNT.search(head.text):
                # The next sentence is its list only when it names as many items as the head counts ("四大片区。…、…、…、…").
                following = head.sentence.following
                items = ENUMERATION.search(following.text)
                if items and counted_as(head.text, len(re.split("[、，]", items.group(0))), intent.text):
                    return FoundList(head, sentences=(following,))
        return None

    def _sections_opened(self, head: Candidate) -> list[str]:
        """The sections after a lead-in: under its own section, or when it ends a paragraph of its own, its parent's."""
        section = head.sentence.chunk.section
        opened = self.knowledge.children_of(section, after=head.sentence.position)
        if len(opened) < 2:
            opened = self.knowledge.children_of(section.rpartition(" > ")[0], after=head.sentence.position)
        return opened

    def _sentences_following(self, head: Candidate) -> list[ReportSentence]:
        """The sentences after a lead-in, up to the one that closes the list with 。."""
        if not head.text.endswith(("：", ":")):
            return []
        items, sentence = [], head.sentence.following
        while sentence is not None and len(items) < self.policy.list_items_read:
            items.append(sentence)
            if sentence.text.endswith("。"):
                break
            sentence = sentence.following
        return items
