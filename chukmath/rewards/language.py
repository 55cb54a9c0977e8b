"""R1's language-consistency reward: the share of the reasoning's words that are in the target language.

DeepSeek-R1 adds "the proportion of target language words in the CoT" to the reward, so that reasoning does not
drift into another language. The scorer reuses the verifier's language knowledge rather than a language-ID
model: :func:`chukmath.verify.language.script_of` for the script of every letter and
:data:`chukmath.verify.function_words.FUNCTION_WORDS` to tell Latin-script languages apart. No dependency,
one linear pass, and the same notion of "in the language" as the verifier's ``language`` reason.

Which words count (the rest carry no evidence and are left out of the share):

- LaTeX commands, single Latin letters (``x``, ``n``) and math names (``sin``, ``log``, ``gcd``) are notation;
  Greek letters are notation too.
- A word written in a script the target language does not use is foreign; in scripts written without spaces
  (CJK, kana, Thai) each character counts as one word, so one Chinese sentence weighs as much as its length.
- A word that mixes scripts (``the計算``) is foreign.
- For a target written in a non-Latin script (``zh``, ``ru``, ...), a word in its script is the target's, a Latin
  word is foreign (English prose in a Russian think).
- For a Latin-script target (``en``, ``fr``, ...), a Latin word is the target's when it is one of its function
  words, foreign when it is only other languages' function words, and no evidence otherwise (``compute`` may be
  English or a loan word).

A reasoning with no counted word (pure arithmetic, or empty) gets None: nothing to judge.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from chukmath.errors import ConfigError
from chukmath.rewards.reading import completion_text, reasoning
from chukmath.verify.function_words import FUNCTION_WORDS
from chukmath.verify.language import LANGUAGE_SCRIPTS, script_of

_ASCII_LETTERS = bytes(c if 65 <= c <= 90 or 97 <= c <= 122 else 32 for c in range(256))
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+")
_TAG = re.compile(r"</?(?:think|answer|verifier_answer)>")
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_NEUTRAL = frozenset({"GREEK", "OTHER"})
_UNSPACED = frozenset({"CJK", "HIRAGANA", "KATAKANA", "THAI"})
_NOTATION = frozenset(
    "sin cos tan cot sec csc log ln lg exp sqrt pi mod gcd lcm max min frac arcsin arccos arctan sinh cosh tanh "
    "abs det lim cm mm km kg mg ml".split()
)
_NOTATION_BYTES = frozenset(w.encode() for w in _NOTATION)


def language_share(text: str, language: str = "en", *, fast: bool = True) -> float | None:
    """Share of the counted words of ``text`` that are in ``language`` (module docstring); None when none count.

    ``fast=False`` skips the ASCII shortcut and reads every word by its letters' scripts: the same share, slower;
    the reference a test compares the shortcut with.
    """
    scripts = LANGUAGE_SCRIPTS.get(language)
    if scripts is None:
        raise ConfigError(f"language {language!r} is not supported; use one of {', '.join(sorted(LANGUAGE_SCRIPTS))}")
    if "<" in text:
        text = _TAG.sub(" ", text)  # a completion without <think> is read whole: its tags are no words
    if "\\" in text:
        text = _LATEX_CMD.sub(" ", text)
    latin_target = "LATIN" in scripts
    # The usual case: no letter outside ASCII (×, −, ², π are not counted), so every counted word is an ASCII
    # word, decided by one dictionary look-up each.
    if fast and (text.isascii() or all(script_of(c) in _NEUTRAL for c in set(_ASCII_RUNS.sub("", text)))):
        # Words as the runs of ASCII letters (every other byte, UTF-8 ones included, made a space by one C-level
        # translate: twice as fast as a regex), each distinct word looked up once (reasoning repeats its words).
        words = Counter(text.encode().translate(_ASCII_LETTERS).split())
        if not latin_target:
            return _share(0, sum(n for w, n in words.items() if len(w) > 1 and w.lower() not in _NOTATION_BYTES))
        verdicts = _latin_verdicts(language)
        own = foreign = 0
        for word, n in words.items():
            verdict = verdicts.get(word)
            if verdict is None and not word.islower():
                verdict = verdicts.get(word.lower())
            if verdict is not None:
                if verdict:
                    own += n
                else:
                    foreign += n
        return _share(own, foreign)
    own = foreign = 0
    for word in _WORD.findall(text):
        word_scripts = {script_of(c) for c in word} - {"GREEK", "OTHER"}
        if not word_scripts:
            continue
        if len(word_scripts) > 1 and not (language == "ja" and word_scripts <= scripts):
            foreign += 1
            continue
        (script,) = word_scripts
        if script == "LATIN":
            if len(word) >= 2:
                o, f = _latin_word(word, language, latin_target)
                own += o
                foreign += f
            continue
        weight = len(word) if script in _UNSPACED else 1
        if script in scripts:
            own += weight
        else:
            foreign += weight
    return _share(own, foreign)


@lru_cache(maxsize=64)
def _latin_verdicts(language: str) -> dict[bytes, bool]:
    """ASCII function word -> True when it is ``language``'s, False when only other languages'."""
    return {
        word.encode(): language in languages
        for word, languages in FUNCTION_WORDS.items()
        if word.isascii() and len(word) > 1 and word not in _NOTATION
    }


def _latin_word(word: str, language: str, latin_target: bool) -> tuple[int, int]:
    """(own, foreign) evidence of one Latin word of at least two letters."""
    lower = word.lower()
    if lower in _NOTATION:
        return 0, 0
    if not latin_target:
        return 0, 1
    languages = FUNCTION_WORDS.get(lower)
    if languages is None:
        return 0, 0
    return (1, 0) if language in languages else (0, 1)


def _share(own: int, foreign: int) -> float | None:
    total = own + foreign
    return own / total if total else None


class LanguageReward:
    """``language_reward`` for one target language; an instance (not a closure) so that it pickles."""

    def __init__(self, language: str = "en") -> None:
        if language not in LANGUAGE_SCRIPTS:
            raise ConfigError(
                f"language {language!r} is not supported; use one of {', '.join(sorted(LANGUAGE_SCRIPTS))}"
            )
        self.language = language
        # TRL logs a reward under its function's __name__: rewards/language_reward/mean
        self.__name__ = "language_reward" if language == "en" else f"language_reward_{language}"

    def __call__(self, completions: list[Any], **columns: Any) -> list[float | None]:
        """The share of the reasoning's words in the target language, per completion (0.0 for unreadable text)."""
        out: list[float | None] = []
        for completion in completions:
            text = completion_text(completion)
            out.append(0.0 if text is None else language_share(reasoning(text), self.language))
        return out

    def __repr__(self) -> str:
        return f"LanguageReward({self.language!r})"


def language_reward_for(language: str) -> LanguageReward:
    """R1's language-consistency reward for ``language`` (a code of ``chukmath.verify.LANGUAGE_SCRIPTS``)."""
    return LanguageReward(language)


language_reward = LanguageReward("en")
"""The share of the reasoning's words that are English; ``language_reward_for("fr")`` for another language."""
