"""The grounding rule: every number in an answer stands in a passage it cites.

Numbers are compared whole: "9" is not grounded by a passage that says "19". Citation marks
("[2]") and years ("2022年", the answer's own year labels) are not figures a reader could be
misled by, so they are left out before looking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

NUMBER = re.compile(r"\d+(?:\.\d+)?")
CITATION_MARK = re.compile(r"\[\d+\]")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?=年)")


def ungrounded_numbers(text: str, cited_texts: Sequence[str], allowed: Sequence[str] = ()) -> list[str]:
    """Numbers in `text` that no cited text holds (and that are not explicitly allowed)."""
    cited = {n for source in cited_texts for n in NUMBER.findall(source)}
    body = YEAR.sub("", CITATION_MARK.sub("", text))
    return [n for n in NUMBER.findall(body) if n not in cited and n not in allowed]
