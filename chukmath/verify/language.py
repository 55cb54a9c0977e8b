"""Is the reasoning written in the requested language? A script-based check, cheap and dependency-free.

Reasoning models drift: a Qwen-style model may switch to Chinese mid-thought, or emit words that mix scripts
(``the計算``, Cyrillic look-alikes inside Latin words). We count letters by Unicode script — LaTeX commands and
Greek letters are ignored because they are math notation — and flag (a) letters from a script the language
does not use, (b) too few letters in the language's own script for non-Latin languages,
(c) any word that mixes scripts, and (d) for a Latin-script language, reasoning whose function words
(:mod:`chukmath.verify.function_words`) are clearly another Latin-script language's: French asked for, English
written, or the reverse.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from chukmath.errors import ConfigError
from chukmath.verify.function_words import FUNCTION_WORDS, MARKERS_OF, OTHERS_OF, WORD_FORMS, WORDS_OF

# Language code -> scripts its prose is written in. Latin is always tolerated for math (x, sin, LaTeX).
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset({"LATIN"}) for code in "en fr de es it pt nl sv da no fi pl cs ro tr id vi".split()},
    "zh": frozenset({"CJK"}),
    "ja": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "ko": frozenset({"HANGUL", "CJK"}),
    "ru": frozenset({"CYRILLIC"}),
    "uk": frozenset({"CYRILLIC"}),
    "el": frozenset({"GREEK"}),
    "ar": frozenset({"ARABIC"}),
    "he": frozenset({"HEBREW"}),
    "hi": frozenset({"DEVANAGARI"}),
    "th": frozenset({"THAI"}),
}
# Letters of a script the language does not use: even one CJK word in long English reasoning is drift, and a
# share of the letters would let a whole Chinese sentence through in a long enough think.
FOREIGN_MIN = 1
NATIVE_SHARE = 0.3  # non-Latin languages: at least this share of letters in the language's own script

_LATEX_CMD = re.compile(r"\\[a-zA-Z]+")
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NEUTRAL = frozenset({"GREEK", "OTHER"})
# Another language's function words must be at least this many distinct ones, and more than OTHER_RATIO times the
# requested language's, before the reasoning counts as written in it: a quoted phrase or a name never is.
OTHER_LANGUAGE_MIN = 5
OTHER_LANGUAGE_RATIO = 2
FUNCTION_WORD_WINDOW = 1000
OWN_MARKERS = 5
_SCRIPT_PREFIXES = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW",
                    "DEVANAGARI", "THAI")  # fmt: skip


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str:
    """The Unicode script family of a letter (by character name), or OTHER."""
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return "CJK"
    if ch.isascii():
        return "LATIN"
    name = unicodedata.name(ch, "")
    for prefix in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return prefix
    if name.startswith(("FULLWIDTH LATIN", "MATHEMATICAL")):
        return "LATIN"
    return "OTHER"


def language_issues(text: str, language: str = "en") -> list[str]:
    """Reasons ``text`` is not plain ``language`` reasoning; empty when it is. Unknown codes raise ConfigError."""
    scripts = LANGUAGE_SCRIPTS.get(language)
    if scripts is None:
        raise ConfigError(
            f"language {language!r} is not supported; use one of {', '.join(sorted(LANGUAGE_SCRIPTS))}"
        )
    # Fast path: when every non-ASCII character is script-neutral (×, ÷, −, ², π, ...), every counted letter is
    # Latin and no word can mix scripts, so the script count below would find nothing for a Latin language; only
    # the function words are left to check. (Removing LaTeX commands, ASCII only, leaves the non-ASCII set as is.)
    # (The non-ASCII characters as what is left once the ASCII runs are cut out: fewer matches than finding each.)
    neutral = text.isascii() or all(script_of(c) in _NEUTRAL for c in set(_ASCII_RUNS.sub("", text)))
    if "\\" in text:
        text = _LATEX_CMD.sub(" ", text)  # \times, \left are notation, not English words
    if neutral and "LATIN" in scripts:
        other = _other_latin_language(text, language)
        return [other] if other else []
    if neutral:
        letters = len(_ASCII_LETTER.findall(text))
        return [f"reasoning not in {language}: only 0 of {letters} letters in its script"] if letters else []
    counts: dict[str, int] = {}
    issues: list[str] = []
    mixed: list[str] = []
    for word in _WORD.findall(text):
        word_scripts = {script_of(c) for c in word} - {"OTHER"}
        for c in word:
            s = script_of(c)
            counts[s] = counts.get(s, 0) + 1
        # Japanese mixes kana and kanji inside words by design
        if len(word_scripts - {"GREEK"}) > 1 and not (word_scripts <= LANGUAGE_SCRIPTS["ja"] and language == "ja"):
            mixed.append(word)
    letters = sum(n for s, n in counts.items() if s not in ("GREEK", "OTHER")) or 0
    if mixed:
        issues.append(f"words mixing scripts: {', '.join(mixed[:3])}")
    if not letters:
        return issues
    allowed = scripts | {"LATIN", "GREEK", "OTHER"}
    foreign = {s: n for s, n in counts.items() if s not in allowed}
    total_foreign = sum(foreign.values())
    if total_foreign >= FOREIGN_MIN:
        names = ", ".join(f"{s.lower()} {n}" for s, n in sorted(foreign.items()))
        issues.append(f"reasoning not in {language}: {names} of {letters} letters")
    if "LATIN" not in scripts:
        native = sum(counts.get(s, 0) for s in scripts)
        if native / letters < NATIVE_SHARE:
            issues.append(f"reasoning not in {language}: only {native} of {letters} letters in its script")
    else:
        other = _other_latin_language(text, language)
        if other:
            issues.append(other)
    return issues


def _other_latin_language(text: str, language: str) -> str | None:
    """Why ``text`` reads as another Latin-script language than ``language`` (by function words), or None."""
    # Whitespace words: one that ends a sentence ("first,") is missed, which costs a little evidence, not
    # correctness, and splitting is several times cheaper than a Unicode word regex on every think. A long think
    # is judged by its opening and its close: what language it is written in shows in any 1,000 characters, and
    # a 20,000-character R1 think would otherwise cost more here than all its step checks.
    if len(text) > 2 * FUNCTION_WORD_WINDOW:
        text = text[:FUNCTION_WORD_WINDOW] + " " + text[-FUNCTION_WORD_WINDOW:]
    # The usual case first: OWN_MARKERS distinct common words that only the requested language has. Another
    # language would then need 2 * OWN_MARKERS + 1 distinct function words in the same text to win: a think
    # written half in each. That rare text is let through for a check ~10x cheaper than splitting the think.
    found = 0
    for marker in MARKERS_OF[language]:
        if marker in text:
            found += 1
            if found >= OWN_MARKERS:
                return None
    words = {w.lower() for w in WORD_FORMS.intersection(text.split())}  # the function words in the text
    own = len(WORDS_OF[language] & words)
    others = len(OTHERS_OF[language] & words)
    # Another language's count is at most own + others (the words it shares with this one, and the rest), so
    # the usual case, reasoning in the requested language, is decided by these two set operations alone.
    if own + others < OTHER_LANGUAGE_MIN or own + others <= OTHER_LANGUAGE_RATIO * own:
        return None
    hits: dict[str, int] = {}
    for word in words:
        for lang in FUNCTION_WORDS[word]:
            hits[lang] = hits.get(lang, 0) + 1
    best = max(sorted(hits), key=lambda lang: hits[lang])  # sorted: ties go to the same language every run
    if best == language or hits[best] < OTHER_LANGUAGE_MIN or hits[best] <= OTHER_LANGUAGE_RATIO * own:
        return None
    return f"reasoning not in {language}: reads as {best} ({hits[best]} of its function words, {own} of {language}'s)"
