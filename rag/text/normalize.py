"""A question in the report's own script and words: simplified characters, half-width letters and digits,
English words in Chinese, and homophone typos corrected against the report's vocabulary.

"歷城區去年GDP多少" → "历城区去年GDP多少"; "ＰＣＲ核酸" → "核酸"; "历成区新增高薪技术企业" →
"历城区新增高新技术企业". Retrieval and answering both read the normalised question, so a citizen's
spelling never decides whether the report is found.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rag.resources import data_file

DEFAULT_ENGLISH = data_file("words/english.toml")
DEFAULT_TYPOS = data_file("words/typos.toml")
HAN = re.compile(r"[\u4e00-\u9fff]+")
BETWEEN_HAN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
# Full-width ASCII (ＧＤＰ, ２０２３, ％) sits at a fixed offset from its half-width form; Chinese
# punctuation (，？) is left alone, the rest of the code reads both forms.
FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0b\uff06\uff0e\uff0d]")
FULL_TO_HALF = 0xFEE0
IDEOGRAPHIC_SPACE = "\u3000"
# A typo is one wrong character that sounds or looks like the right one: a window of the question is corrected
# only when it differs from a word of the report in this many characters and reads the same (TypoRules).
MAX_TYPO_CHARS = 1
# Windows of four or more characters rarely sound like a report phrase by chance; shorter ones do
# ("城去" in "历城去年" sounds like 城区), so they are only looked at inside a token of unknown characters.
LONG_WINDOWS = (6, 5, 4)  # longest first, so "高薪技术企业" is read whole rather than as "高薪"
# A window of three across tokens is corrected only to a three-character word of the report ("自背井" → 自备井,
# "师范区" → 示范区); against any phrase it would be by chance ("经济总量大概" → 量达概).
WORD_WINDOW = 3
SHORT_WINDOWS = (3, 2)


@dataclass(frozen=True)
class Normalized:
    """The question as the report would spell it, and what was changed on the way."""

    text: str
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as corrected), for logs and tests


def half_width(text: str) -> str:
    text = FULL_WIDTH.sub(lambda m: chr(ord(m.group(0)) - FULL_TO_HALF), text)
    return text.replace(IDEOGRAPHIC_SPACE, " ")


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported here: `import rag` stays light

    return opencc.OpenCC("t2s")


def simplified(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Traditional characters as simplified ones (OpenCC t2s), except characters in `keep`.

    `keep` holds the characters the report itself uses: a simplified report never needs them converted,
    and OpenCC's phrase tables would otherwise turn some of them (著 → 着) into another word.
    """
    converted = _converter().convert(text)
    if len(converted) != len(text):  # a phrase mapped to another length: take it as it is
        return converted
    return "".join(original if original in keep else new for original, new in zip(text, converted))


@lru_cache(maxsize=4)
def load_english(path: Path = DEFAULT_ENGLISH) -> dict[str, str]:
    """English word (lower-case) → the report's Chinese word, every class of the file merged."""
    with open(path, "rb") as file:
        data = tomllib.load(file)
    return {english.lower(): chinese for group in data.values() for english, chinese in group["words"].items()}


def english_replacer(english: dict[str, str], report_text: str = "") -> Callable[[str], str]:
    """A function replacing each English word or phrase of the list by its Chinese word, unless the report uses
    the English. Made once per list and report: finding which words the report uses reads the whole report,
    too slow to repeat for every question."""
    lowered_report = report_text.lower()
    return _english_replacer(tuple(sorted((w, c) for w, c in english.items() if w not in lowered_report)))


@lru_cache(maxsize=8)
def _english_replacer(words: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    """One pattern for the whole list, longest first, so "cross-border e-commerce" wins over "e-commerce"."""
    if not words:
        return lambda text: text
    chinese = dict(words)
    alternatives = "|".join(re.escape(w) for w in sorted(chinese, key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z])(?:{alternatives})\s*(?![A-Za-z])", re.IGNORECASE)

    def replace(match: re.Match) -> str:
        word = chinese[match.group(0).strip().lower()]
        # An English gloss beside its Chinese word ("企业上云cloud", "PCR核酸") says it twice; once is the question.
        before, after = match.string[: match.start()].rstrip(), match.string[match.end() :]
        return "" if before.endswith(word) or after.startswith(word) else word

    # Words once separated by a space are Chinese now: "growth rate" → "增长率", not "增长 率".
    return lambda text: BETWEEN_HAN.sub("", pattern.sub(replace, text))


def normalize_script(text: str, english: dict[str, str] | None = None) -> str:
    """What needs no report: half-width, simplified, English in Chinese (retrieval's own question reading)."""
    replace = _default_english_replacer() if english is None else english_replacer(english)
    return replace(simplified(half_width(text)))


@lru_cache(maxsize=1)
def _default_english_replacer() -> Callable[[str], str]:
    return english_replacer(load_english())


@dataclass(frozen=True)
class TypoRules:
    """What counts as "reads the same" for a typo (data/words/typos.toml)."""

    initials: tuple[tuple[str, str], ...] = ()  # (as typed, read as): "zh" → "z", "l" → "n"
    drop_final_g: bool = False  # "-ng" read as "-n"
    shapes: dict[str, str] = field(default_factory=dict)  # a look-alike character → its group's first
    grammar: frozenset[str] = frozenset()  # characters of the asking itself, never the mistyped one ("不", "了")
    asking: dict[str, str] = field(default_factory=dict)  # a question word mistyped as it sounds: "是那几" → "是哪几"

    def sound(self, text: str) -> tuple[str, ...]:
        """The text's pinyin with look-alike characters made one and the confusable sounds folded."""
        from pypinyin import lazy_pinyin  # imported here: its dictionary takes a second to load

        return tuple(self._fold(s) for s in lazy_pinyin("".join(self.shapes.get(c, c) for c in text)))

    def _fold(self, syllable: str) -> str:
        for typed, read in self.initials:
            if syllable.startswith(typed):
                syllable = read + syllable[len(typed) :]
                break
        return syllable[:-1] if self.drop_final_g and syllable.endswith("ng") else syllable


def load_typo_rules(path: Path = DEFAULT_TYPOS) -> TypoRules:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    shapes = {c: group[0] for group in data["shapes"]["groups"] for c in group}
    initials = tuple(tuple(pair) for pair in data["sounds"]["initials"])
    grammar = frozenset(data["grammar"]["characters"])
    return TypoRules(initials, bool(data["sounds"]["drop_final_g"]), shapes, grammar, dict(data["asking"]["words"]))


class Normalizer:
    """Normalises questions against one report: its characters, its English and its words (for typos).

    `is_known_word` tells a dictionary word ("失业") from a string the segmenter glued together from unknown
    characters ("唐野"); only the latter is read as a possible short typo.
    """

    def __init__(
        self,
        report_text: str,
        report_words: Iterable[str],
        segment: Callable[[str], list[str]],
        is_known_word: Callable[[str], bool],
        protected: Iterable[str] = (),
        english: dict[str, str] | None = None,
        typos: TypoRules | None = None,
    ):
        self.report_text = report_text
        # Words of the asking itself ("去年", "多少"): never in the report, never a typo of it.
        self._protected = tuple(sorted(set(protected), key=len, reverse=True))
        self.english = load_english() if english is None else english
        self._english_to_chinese = english_replacer(self.english, report_text)
        rules = load_typo_rules() if typos is None else typos
        self._sound = rules.sound
        self._grammar = rules.grammar
        self._asking = rules.asking
        self._segment = segment
        self._is_known_word = is_known_word
        self._report_chars = frozenset(report_text)
        # Short windows are matched against the report's words, long ones against any of its phrases.
        self._words_by_sound: dict[tuple[str, ...], list[str]] = {}
        frequency = Counter(w for w in report_words if HAN.fullmatch(w) and SHORT_WINDOWS[-1] <= len(w) <= SHORT_WINDOWS[0])
        for word, _ in frequency.most_common():  # most frequent first: the likelier correction
            self._words_by_sound.setdefault(self._sound(word), []).append(word)
        self._phrases_by_sound: dict[tuple[str, ...], list[str]] = {}
        for run in HAN.findall(report_text):
            sounds = self._sound(run)
            for size in LONG_WINDOWS:
                for start in range(len(run) - size + 1):
                    self._phrases_by_sound.setdefault(sounds[start : start + size], []).append(run[start : start + size])

    def normalize(self, question: str) -> Normalized:
        text = simplified(half_width(question), self._report_chars)
        text = self._english_to_chinese(text)
        corrections: list[tuple[str, str]] = []
        for typed, meant in self._asking.items():
            if typed in text:
                text = text.replace(typed, meant)
                corrections.append((typed, meant))
        text = HAN.sub(lambda run: self._correct_long(run.group(0), corrections), text)
        text = "".join(self._correct_short(token, corrections) for token in self._segment(text))
        return Normalized(text, tuple(corrections))

    def _correct_long(self, run: str, corrections: list[tuple[str, str]]) -> str:
        sounds = self._sound(run)
        fixed = [False] * len(run)
        for word in self._protected:
            for match in re.finditer(re.escape(word), run):
                fixed[match.start() : match.end()] = [True] * len(word)
        for size in (*LONG_WINDOWS, WORD_WINDOW):
            candidates = self._phrases_by_sound if size in LONG_WINDOWS else self._words_by_sound
            start = 0
            while start + size <= len(run):
                window = run[start : start + size]
                found = (
                    None
                    if window in self.report_text
                    else _one_off(window, candidates.get(sounds[start : start + size], ()), self._grammar)
                )
                if found and any(fixed[start + i] for i, (a, b) in enumerate(zip(window, found)) if a != b):
                    found = None
                if found and not self._reads_right_across_edge(run, start, size, found):
                    corrections.append((window, found))
                    run = run[:start] + found + run[start + size :]
                    start += size
                else:
                    start += 1
        return run

    def _reads_right_across_edge(self, run: str, start: int, size: int, found: str) -> bool:
        """Is a changed edge character right as typed, together with its neighbour outside the window?

        "城乡…监测评价" holds the window "展试验区监" (sounds like 展试验区建), but "监测" stands in the report, so
        监 was right; likewise "去" of "历城区去年", which makes "去年" with the next character.
        """
        end = start + size
        if found[-1] != run[end - 1] and end < len(run) and run[end - 1 : end + 1] in self.report_text:
            return True
        return found[0] != run[start] and start > 0 and run[start - 1 : start + 1] in self.report_text

    def _correct_short(self, token: str, corrections: list[tuple[str, str]]) -> str:
        """A token the segmenter made of unknown characters ("历成区", "徐明"), with a homophone of a report word in it;
        or a dictionary word of three characters the report does not use that reads as one it does ("幼儿圆": two
        characters are too short to tell a typo from another word, "失业" / 事业)."""
        if not HAN.fullmatch(token) or token in self.report_text:
            return token
        if self._is_known_word(token):
            found = _one_off(token, self._words_by_sound.get(self._sound(token), ()), self._grammar) if len(token) == 3 else None
            if found:
                corrections.append((token, found))
            return found or token
        sounds = self._sound(token)
        for size in SHORT_WINDOWS:
            for start in range(len(token) - size + 1):
                window = token[start : start + size]
                found = _one_off(window, self._words_by_sound.get(sounds[start : start + size], ()), self._grammar)
                if found:
                    corrections.append((window, found))
                    return token[:start] + found + token[start + size :]
        return token


def _one_off(window: str, candidates: Iterable[str], grammar: frozenset[str] = frozenset()) -> str | None:
    """The first candidate that differs from the window in one character (or up to MAX_TYPO_CHARS), none of them
    a `grammar` character."""
    for candidate in candidates:
        differing = [a for a, b in zip(window, candidate) if a != b]
        if 0 < len(differing) <= MAX_TYPO_CHARS and not grammar.intersection(differing):
            return candidate
    return None


def report_normalizer(texts: Iterable[str], tokenizer, protected: Iterable[str] = ()) -> Normalizer:
    """The Normalizer of a report, from its chunks' texts and the report's tokenizer (retrieval and answering share it)."""
    texts = list(texts)
    return Normalizer(
        "".join(texts),
        [t for text in texts for t in tokenizer.tokenize(text)],
        segment=lambda text: [word for word, _ in tokenizer.tag(text)],
        is_known_word=tokenizer.knows,
        protected=protected,
    )
