"""Every weight and threshold of the answer engine, each with what it trades off, in one object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerPolicy:
    # Passages retrieved per question. More finds a second-best sentence more often; fewer keeps weak
    # matches out of reach and answer() fast.
    passages_read: int = 6
    # Passages ranked by the one retrieval of a question: the first `passages_read` are read, the rest are where
    # the asked year's own passages are looked for. Larger finds that year's passages further down.
    passages_pool: int = 40
    # Extra passages of the asked year when none of the first ones answers in that year: a year trap is
    # only called a trap after that year's own passages were looked at.
    year_passages: int = 3

    # A sentence's score is a blend of how well retrieval ranked its passage and how much of the question's
    # topic (IDF-weighted) it holds. Retrieval knows paraphrase, coverage knows the exact words.
    retrieval_weight: float = 0.45
    coverage_weight: float = 0.55
    # Added to a sentence that holds the kind of answer asked (a figure for "多少", a date for "什么时候"):
    # enough to lift it over a neighbour that only repeats the topic, not over a better-covered one.
    kind_bonus: float = 0.1
    # A topic word met only through the report's synonym for it ("学位" through 中小学) counts this much of a
    # literal match: enough to find the passage, not enough to outrank the passage that uses the word itself.
    expansion_credit: float = 0.7
    # Score factor for a heading, lead-in or title sentence that holds no fact of the kind asked: they are
    # never the answer, but may lead to it (the list after "以下七个方面：").
    non_answer_discount: float = 0.5
    # Added to a sentence of the year asked about, so the asked year's answer leads when both years have one.
    year_bonus: float = 0.1

    # Added to a sentence the previous answer showed, when a follow-up asks more about the same thing: "那一批一共签了
    # 多少家企业？" after an answer quoting 忽米华北总部 is about that sentence's 60余家, not the 252家 of another.
    # Small beside the kind and year bonuses together, so it decides between sentences that fit alike.
    shown_before_bonus: float = 0.15
    # A sentence counts as shown before when this share of the character pairs of one of its clauses stands in the
    # previous answer (an answer quotes a long sentence by its clauses, in other words around the figures).
    shown_before_share: float = 0.5

    # The least share of the question's topic weight the best sentence must hold before the question counts
    # as covered by the report at all. Higher refuses more unanswerable questions and more answerable ones.
    refusal_coverage: float = 0.2
    # The asked year's best answer must cover at least this share of the topic the other year's best answer
    # covers; otherwise the other year's figure is what the report gives ("2023年新增学位" → 2022年1.7万个).
    asked_year_share: float = 0.85
    # A clause counts as being about the topic when it holds this share of what its whole sentence holds:
    # "实施2000亩森林抚育项目" is not about 森林覆盖率 although its sentence is.
    clause_topic_share: float = 0.5
    # The least IDF of a question's key word, the word every answer must hold ("大悦城什么时候开业" must be
    # answered by a sentence naming 大悦城). With 252 chunks, 4.2 is a word in at most three of them; a more
    # common word ("招商") names a field, and requiring it refuses answers that say it differently.
    key_min_idf: float = 4.2
    # A follow-up that leans only on the turn before's words keys on a name of at least this many characters, however
    # common: after "历城数字经济这块有啥亮点", "那它今年规模涨了多少" is about 数字经济, not any sentence that says 经济.
    inherited_name_chars: int = 4
    # Topic words a follow-up takes from the turn before weigh this much against its own words:
    # "那历城职专呢？" after a question about 历城二中 is about 历城职专 first.
    inherited_topic_weight: float = 0.5
    # A question this short, asked after another, is read as a follow-up even when it names a topic
    # ("满意率是多少？"); longer ones stand alone unless they start with 那/还有 or end with 呢.
    followup_max_chars: int = 9
    # A later part of a multi-part question stands alone, not as a follow-up of the part before, when it names a
    # thing of its own at least this long ("全国百强区排第几", "森林抚育多少亩"); a short common noun leans on the
    # part before ("家庭养老床位怎么申请？有补贴吗？": the 补贴 of the beds).
    own_topic_min_chars: int = 3

    # A second sentence joins the answer when its score is at least this share of the first's: lists and
    # two-part facts often continue there; a lower share adds noise.
    second_sentence_ratio: float = 0.85
    # At most this many sentences are quoted for one question (a list may take more from its own section).
    max_sentences: int = 2
    # A list question looks this far down the ranking for a lead-in or heading that opens its list; further
    # down, a heading is more likely a neighbouring topic than the list asked for.
    list_heads_read: int = 3
    # At most this many sentences after a lead-in are read as the items of its list.
    list_items_read: int = 8
    # A sentence longer than this is quoted by the clauses that answer, not whole.
    long_sentence_chars: int = 60
    # A general question ("有啥打算") is quoted from the clause naming its topic through at least this many
    # clauses: the plan follows the name. More says more, and dilutes the answer.
    general_clauses: int = 3
    # Passages shown under a refusal, marked as not holding the answer.
    related_passages_shown: int = 2


DEFAULT_POLICY = AnswerPolicy()
