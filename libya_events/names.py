"""Matching names across scripts and spellings: the folding behind `find_actor`.

Two spellings match when they fold to the same tokens. ``fold`` is, in order:

1. NFKC: compatibility forms become their plain letters (Arabic presentation forms such as
   U+FEFB LAM WITH ALEF, full-width Latin, ligatures);
2. case folding (``str.casefold``: ``İ`` → ``i̇``, ``ß`` → ``ss``, ``Σ``/``ς`` → ``σ``);
3. NFKD, then every combining mark (Unicode category Mn) dropped: Latin diacritics
   (``Çavuşoğlu`` → ``cavusoglu``), Cyrillic stress marks (``Серге́й`` → ``сергей``), Arabic
   tashkeel (fatha, damma, kasra, tanwin, shadda, sukun, dagger alef) and the hamza and madda
   that NFKD splits off ``أ إ آ ؤ ئ`` (so ``أ``, ``إ``, ``آ`` → ``ا``; ``ؤ`` → ``و``;
   ``ئ`` → ``ي``);
4. the letters Unicode gives no decomposition, by `LETTER_FOLDS`: alef wasla ``ٱ`` → ``ا``,
   alef maqsura ``ى`` → ``ي``, Farsi yeh ``ی`` → ``ي``, keheh ``ک`` → ``ك``, teh marbuta ``ة``
   → ``ه``, Latin dotless ``ı`` → ``i``; tatweel ``ـ`` (a letter, Lm, not a mark) dropped;
5. NFC again.

Tokens are the runs of letters and digits of the folded text; every other character (spaces,
hyphens, apostrophes, dots, commas, brackets, ``+``) separates them.

Why the standard library and not a library for Arabic: pyarabic (GPL, last release 2022) folds
alef forms, teh marbuta, tashkeel and tatweel, which steps 3 and 4 already do, but not alef
maqsura to yeh nor any Latin or Cyrillic mark; camel-tools does all of it for Arabic only and
brings a large NLP stack. Unicode's own decompositions (``unicodedata``) cover every mark and
hamza form; what they leave is the six letters of `LETTER_FOLDS`, each named below. See
docs/names.md for the measurement on the spellings of names-and-offices.md.
"""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"

#: Letters that Unicode does not decompose into a base letter and a mark, and the letter each
#: stands for in matching.
LETTER_FOLDS: dict[str, str] = {
    "\u0671": "\u0627",  # ARABIC LETTER ALEF WASLA -> ALEF
    "\u0649": "\u064a",  # ARABIC LETTER ALEF MAKSURA -> YEH
    "\u06cc": "\u064a",  # ARABIC LETTER FARSI YEH -> YEH
    "\u06a9": "\u0643",  # ARABIC LETTER KEHEH -> KAF
    "\u0629": "\u0647",  # ARABIC LETTER TEH MARBUTA -> HEH
    "\u0131": "i",  # LATIN SMALL LETTER DOTLESS I -> i
    TATWEEL: "",  # ARABIC TATWEEL (kashida): elongation only
}
_FOLDS = str.maketrans(LETTER_FOLDS)
_TOKEN = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` as it is compared: case, compatibility forms, marks and letter variants folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn"
    )
    return unicodedata.normalize("NFC", text.translate(_FOLDS))


def tokens(text: str) -> tuple[str, ...]:
    """The folded words of ``text``: runs of letters and digits."""
    return tuple(_TOKEN.findall(fold(text)))


def matches(query: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """Whether every token of ``query`` is a whole token of ``name``, in the same order (others
    may come between): ``('khalifa', 'haftar')`` matches ``('khalifa', 'belqasim', 'haftar')``."""
    rest = iter(name)
    return bool(query) and all(any(t == n for n in rest) for t in query)
