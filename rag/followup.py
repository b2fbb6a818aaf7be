"""Follow-up questions: "那2023年呢？" after "2022年新增了多少学位？" asks about 2023 school places."""

from __future__ import annotations

import re

from rag.query import FULL_YEAR, SHORT_YEAR, asked_years
from rag.vocabulary import Vocabulary

LEADING = re.compile(r"^(?:那么|那|还有|另外|再问一下|再问|同样|然后|和|跟|以及)")
TRAILING = re.compile(r"(?:呢|吗|怎么样|如何|多少)?[？?。！!\s]*$")
MAX_FOLLOWUP_CHARS = 15
# So short it cannot carry its own topic ("今年还建吗？"): it leans on the question before.
MAX_BARE_CHARS = 8


def previous_question(history: list[dict] | None) -> str:
    for turn in reversed(history or []):
        if isinstance(turn, dict) and turn.get("role") == "user" and str(turn.get("content", "")).strip():
            return str(turn["content"]).strip()
    return ""


def is_followup(question: str) -> bool:
    """Short and elliptical: starts with 那/还有…, ends with 呢, or is too short to name a topic."""
    bare = re.sub(r"[\W_]+", "", question)
    if len(bare) <= MAX_BARE_CHARS:
        return True
    return len(question) <= MAX_FOLLOWUP_CHARS and bool(LEADING.match(question) or re.search(r"呢[？?]*$", question))


def replace_years(text: str, year_text: str, vocabulary: Vocabulary) -> str:
    """`text` with every year expression ("2022年", "22年", "去年") replaced by `year_text`."""
    words = sorted(vocabulary.relative_years, key=len, reverse=True)
    pattern = "|".join([FULL_YEAR.pattern, SHORT_YEAR.pattern] + [re.escape(w) for w in words])
    replaced, count = re.subn(pattern, year_text, text)
    return replaced if count else f"{year_text}{text}"


def resolve_followup(question: str, history: list[dict] | None, report_year: int, vocabulary: Vocabulary) -> str:
    """The question to search for: the follow-up completed from the previous user question."""
    earlier = previous_question(history)
    if not earlier or not is_followup(question):
        return question
    core = TRAILING.sub("", LEADING.sub("", question)).strip()
    years = asked_years(core, report_year, vocabulary)
    if years:
        new_year = f"{years[-1][0]}年"
        rest = re.sub("|".join([FULL_YEAR.pattern, SHORT_YEAR.pattern] + [re.escape(w) for w in vocabulary.relative_years]), "", core).strip()
        base = replace_years(earlier, new_year, vocabulary)
        return f"{base} {rest}".strip() if rest else base
    # A new topic in the same frame ("那公厕呢？"): keep the earlier question's year, ask about the new topic.
    earlier_years = asked_years(earlier, report_year, vocabulary)
    prefix = f"{earlier_years[-1][0]}年" if earlier_years else ""
    return f"{prefix}{core}" if core else earlier
