"""Figures and ranks in one sentence, each named by the subject the report gives it.

A figure is read one of two ways. After its subject ("新增学位1.7万个", "地区生产总值增长6%"): the
indicator is the subject, and a clause with none ("可比增长6.8%") keeps the one before it. Before what it
counts ("新建1270个5G基站", "183个重点项目全部开工建设"): the indicator is the action plus what follows.
Pieces of a clause between 、 share their action ("新增国家重点实验室3家、省级新型研发机构2家"), and
"A、B…分别…x、y" gives each subject its own figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.facts.mentions import RANK_UNIT, Mention, kind_of, mentions_in
from ingest.facts.subjects import (
    TRIM,
    action_before,
    base_name,
    clean_action,
    clean_subject,
    ends_with_conjunction,
    is_aspect,
    spell_out,
)
from ingest.facts.text import PIECE_MARK, Span, clauses_of, split_outside_quotes
from ingest.facts.types import FIGURE, RANK, Finding
from ingest.facts.words import DEFAULT_POLICY, FactPolicy, FactWords

SCOPE_IN = re.compile(r"^(?P<subject>.*?)在(?P<scope>.+?)[中上]$")
ALL_TOGETHER = "均"  # "均居全市第一": the rank holds for everything named before, not one aspect of it
LIST_RANK = "强"  # "全国500强": a place on a list


@dataclass(frozen=True)
class _Piece:
    """A run of a clause between 、 marks that holds at least one figure or rank."""

    start: int
    end: int
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class _Draft:
    mention: Mention
    piece: int
    indicator: str
    left: str  # the raw words before the figure, for its kind
    counted: bool  # the figure stands before what it counts
    bare: bool  # no subject of its own, only a conjunction before it ("4%和7%")


@dataclass
class _Reading:
    """What the sentence has named so far: later clauses lean on it ("可比增长6.8%")."""

    indicator: str = ""
    owner: str = ""  # the thing an aspect was composed on ("市场主体" of "市场主体总量")
    clause: str = ""


def pieces_of(clause: str, mentions: list[Mention]) -> list[_Piece]:
    """Pieces between 、 that hold a mention; a piece without one joins the next (or, at the end, the last)."""
    pieces: list[_Piece] = []
    spans: list[Span] = split_outside_quotes(clause, PIECE_MARK)
    pending = None
    for span in spans:
        inside = tuple(m for m in mentions if span.start <= m.start < span.end)
        if not inside:
            pending = span.start if pending is None else pending
            continue
        pieces.append(_Piece(span.start if pending is None else pending, span.end, inside))
        pending = None
    if pending is not None and pieces:
        pieces[-1] = replace(pieces[-1], end=spans[-1].end)
    return pieces


def _is_threshold(mention: Mention, following: Mention | None, clause: str, words: FactWords) -> bool:
    """Money that only classes the things counted right after it ("10亿元以上项目10个")."""
    if following is None or not mention.unit.endswith(words.money_units) or following.unit.endswith(words.money_units):
        return False
    between = clause[mention.end : following.start]
    return bool(between.strip(TRIM)) and not ends_with_conjunction(between, words) and PIECE_MARK not in between


def _counted_noun(clause: str, piece: _Piece, figures: list[Mention], index: int, words: FactWords) -> str:
    """What a figure written before its noun counts: up to the next figure if "和" joins them, else to the piece end."""
    mention = figures[index]
    following = figures[index + 1] if index + 1 < len(figures) else None
    if following and ends_with_conjunction(clause[mention.end : following.start], words):
        return clause[mention.end : following.start].strip(TRIM).rstrip("".join(words.conjunctions))
    rest, cursor = "", mention.end
    for later in figures[index + 1 :]:
        rest, cursor = rest + clause[cursor : later.start], later.end
    return (rest + clause[cursor : piece.end]).strip(TRIM)


def _subject_name(subject: str, reading: _Reading, words: FactWords, policy: FactPolicy) -> tuple[str, bool]:
    """The indicator for a subject read before a figure, and whether it was composed on an earlier name."""
    if not subject:
        return reading.indicator, True
    if is_aspect(subject, words) or len(subject) < policy.min_subject_chars:
        owner = reading.owner or base_name(reading.indicator, words) or _owner_from_clause(reading.clause, words, policy)
        if owner:
            reading.owner = owner
            return owner + subject, True
    return subject, False


def _owner_from_clause(clause: str, words: FactWords, policy: FactPolicy) -> str:
    """The thing the clause before names, for an aspect with no figure before it ("持续改善空气质量，综合指数…")."""
    name = base_name(clause, words)
    return name if len(name) <= policy.max_owner_chars else ""


def _figure_drafts(clause: str, pieces: list[_Piece], words: FactWords) -> list[_Draft]:
    drafts: list[_Draft] = []
    lead_action = ""
    for number, piece in enumerate(pieces):
        figures = [m for m in piece.mentions if m.type == FIGURE and m.unit != RANK_UNIT]
        figures = [m for i, m in enumerate(figures) if not _is_threshold(m, (figures[i + 1 : i + 2] or [None])[0], clause, words)]
        piece_prefix = ""
        for index, mention in enumerate(figures):
            left = clause[piece.start if index == 0 else figures[index - 1].end : mention.start]
            following = figures[index + 1] if index + 1 < len(figures) else None
            right = clause[mention.end : following.start if following else piece.end].strip(TRIM)
            noun = _counted_noun(clause, piece, figures, index, words)
            counted = bool(right.rstrip("".join(words.conjunctions))) or (following is not None and not right and bool(noun))
            if counted:
                if index == 0:
                    piece_prefix = "" if ends_with_conjunction(left, words) else clean_action(left, words)
                    piece_prefix = piece_prefix or (lead_action if number else "")
                drafts.append(_Draft(mention, number, piece_prefix + noun, left, True, False))
            else:
                bare = not left.strip(TRIM + "".join(words.conjunctions))
                subject = "" if bare else clean_subject(left, words)
                drafts.append(_Draft(mention, number, subject, left, False, bare and bool(index or number)))
            if number == 0 and index == 0:
                lead_action = piece_prefix if counted else action_before(drafts[-1].indicator, words)
    return drafts


def _name_drafts(drafts: list[_Draft], reading: _Reading, words: FactWords, policy: FactPolicy) -> list[_Draft]:
    """Give subjectless figures their names: spelled-out lists, inherited subjects, composed aspects."""
    named: list[_Draft] = []
    for draft in drafts:
        if draft.bare and named and not named[-1].counted:
            named.append(draft)  # a value of a list, named below with its group
            continue
        indicator = draft.indicator
        if not draft.counted:
            indicator, composed = _subject_name(draft.indicator, reading, words, policy)
            lead = named[0] if named and named[0].piece == 0 else None
            if not composed and draft.piece and lead and not action_before(indicator, words):
                indicator = action_before(lead.indicator, words) + indicator
            if not composed:
                reading.owner = ""
        named.append(replace(draft, indicator=indicator))
        reading.indicator = indicator or reading.indicator
    return _spell_out_groups(_share_heads(named, policy), words)


def _share_heads(drafts: list[_Draft], policy: FactPolicy) -> list[_Draft]:
    """A short counted modifier takes the head of the next piece's noun ("6个省级、32个市级重点项目")."""
    shared = list(drafts)
    for index in range(len(shared) - 2, -1, -1):
        this, following = shared[index], shared[index + 1]
        if this.counted and following.counted and following.piece == this.piece + 1:
            modifier = this.indicator
            if len(modifier) <= policy.max_modifier_chars < len(following.indicator) - len(modifier):
                shared[index] = replace(this, indicator=modifier + following.indicator[len(modifier) :])
    return shared


def _spell_out_groups(drafts: list[_Draft], words: FactWords) -> list[_Draft]:
    """The first figure's subject names every figure of its group ("工业、技改投资增速达到49%、85%")."""
    result, index = [], 0
    while index < len(drafts):
        end = index + 1
        while end < len(drafts) and drafts[end].bare and not drafts[index].counted:
            end += 1
        group = drafts[index:end]
        names = spell_out(group[0].indicator, len(group), words) if len(group) > 1 else []
        # every value of the group is the same kind of figure as the first ("增长4%和7%")
        result += [
            replace(d, indicator=names[i] if names else group[0].indicator, left=group[0].left) for i, d in enumerate(group)
        ]
        index = end
    return result


def _rank_name(left: str, mention: Mention, reading: _Reading, words: FactWords, policy: FactPolicy) -> tuple[str, str]:
    """(indicator, scope) of a rank: the subject before its verb, the scope between verb and position.

    A list rank ("500强") needs its verb ("重回全国500强"): without one it names a list ("百强榜") or is
    the title of an honour ("荣膺全球科研城市百强"), read elsewhere.
    """
    # the verb nearest the rank, the longest of those ending there ("位列", not its "列")
    end, verb = max(((left.rfind(v) + len(v), len(v), v) for v in words.rank_verbs if v in left), default=(0, 0, ""))[::2]
    if not verb and mention.value.endswith(LIST_RANK):
        return "", ""
    subject, scope = (left[: end - len(verb)], left[end:]) if verb else (left, "")
    subject = subject.strip(TRIM)
    if match := SCOPE_IN.match(subject):
        # "在全省“技术转移先进区”绩效评价中位列第一": with no subject of its own, the district is ranked in that evaluation
        subject, scope = clean_subject(match.group("subject"), words), match.group("scope") + scope
        if not subject:
            return scope.strip(TRIM), mention.scope
    scope = scope.strip(TRIM) + mention.scope
    subject = clean_subject(subject, words)
    if not subject and ALL_TOGETHER in left and reading.owner:
        return reading.owner, scope
    return _subject_name(subject, reading, words, policy)[0], scope


def _finding(draft: _Draft, clause: Span, words: FactWords) -> Finding:
    m = draft.mention
    kind = kind_of(m, draft.left + draft.indicator, words)
    return Finding(
        FIGURE, draft.indicator.strip(TRIM), m.value, m.text, clause.start + m.start, clause.text, m.unit, m.qualifier, kind
    )


def _ranks(clause: Span, pieces: list[_Piece], reading: _Reading, words: FactWords, policy: FactPolicy) -> list[Finding]:
    found = []
    for piece in pieces:
        previous_end = piece.start
        for index, m in enumerate(piece.mentions):
            is_rank = m.type == RANK or m.unit == RANK_UNIT
            # "10家企业入围全市民营经济100强": the list names what the figure counts, it ranks nothing itself
            counted_before = any(p.type == FIGURE and p.unit != RANK_UNIT for p in piece.mentions[:index])
            if is_rank and not (m.value.endswith(LIST_RANK) and counted_before):
                indicator, scope = _rank_name(clause.text[previous_end : m.start], m, reading, words, policy)
                if indicator:
                    kind = kind_of(m, indicator, words)
                    found.append(
                        Finding(m.type, indicator, m.value, m.text, clause.start + m.start, clause.text, m.unit, "", kind, scope)
                    )
                    reading.indicator = indicator
            previous_end = m.end
    return found


def figures_and_ranks(sentence: str, words: FactWords, policy: FactPolicy = DEFAULT_POLICY) -> list[Finding]:
    """Every figure and rank of a sentence, in order, each with its indicator."""
    found: list[Finding] = []
    reading = _Reading()
    for clause in clauses_of(sentence):
        mentions = mentions_in(clause.text, words)
        pieces = pieces_of(clause.text, mentions)
        if pieces:
            drafts = _name_drafts(_figure_drafts(clause.text, pieces, words), reading, words, policy)
            found += [_finding(d, clause, words) for d in drafts if d.indicator]
            found += _ranks(clause, pieces, reading, words, policy)
        reading.clause = clause.text
    return sorted(found, key=lambda f: f.start)
