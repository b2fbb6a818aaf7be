"""Stage 6, verify: the trust rules checked on every answer before it leaves.

- every number in the answer stands in a passage it cites (rag/answering/grounding.py's rule);
- no passage and no quote is cited twice;
- no heading, lead-in or title block is given as the answer;
- each claim's year label is the year of the passage it cites.
A draft that breaks one becomes a refusal: never a guess.
"""

from __future__ import annotations

from rag.answering.compose import Draft
from rag.answering.grounding import ungrounded_numbers
from rag.answering.knowledge import Knowledge


def problems(draft: Draft, knowledge: Knowledge) -> list[str]:
    """What is wrong with a draft; empty when it may be shown."""
    found = []
    loose = ungrounded_numbers(draft.text, [p.text for p in draft.citations])
    if loose:
        found.append(f"numbers not in any cited passage: {loose}")
    ids = [p.chunk_id for p in draft.citations]
    if len(set(ids)) != len(ids) or len({p.text for p in draft.citations}) != len(ids):
        found.append("a passage is cited twice")
    quotes = [c.quote for c in draft.claims]
    if len(set(quotes)) != len(quotes):
        found.append("a quote is given twice")
    if not draft.refused:
        for claim in draft.claims:
            sentence = next((s for s in knowledge.sentences_of(claim.passage) if s.text.rstrip("。；：！") == claim.quote), None)
            if sentence is not None and sentence.non_answer and not sentence.facts and not claim.opens_list:
                found.append(f"a heading or lead-in given as the answer: {claim.quote!r}")
    for claim in draft.claims:
        if claim.labelled_year is not None and claim.labelled_year != claim.passage.year:
            found.append(f"claim labelled {claim.labelled_year} cites a {claim.passage.year} passage")
    return found
