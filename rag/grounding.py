"""The grounding rule: every number in an answer stands verbatim in a passage it cites."""

from __future__ import annotations

import re

from rag.types import Passage

NUMBER = re.compile(r"\d+(?:\.\d+)?")
CITATION_MARK = re.compile(r"\[\d+\]")


def ungrounded_numbers(text: str, cited: list[Passage], labels: tuple[str, ...] = ()) -> list[str]:
    """Numbers in `text` (citation marks and year labels aside) that no cited passage contains."""
    body = CITATION_MARK.sub("", text)
    for label in labels:
        body = body.replace(label, "")
    sources = " ".join(p.text for p in cited)
    return [n for n in NUMBER.findall(body) if n not in sources]
