"""Pure: romanisation-aware keys of personal names, so that spellings of one Cyrillic name compare equal.

Why hand-written folding rules and not a library: no library folds *Latin* spellings of
one Russian, Ukrainian or Belarusian name onto each other (NOTES.md: soundex and
metaphone split Yevgeny/Evgenii; Latin→Cyrillic is unreliable; abydos' Beider–Morse
is unmaintained since 2020). Cyrillic itself is romanised by ``iuliia``'s Wikipedia
scheme (the scheme English text mostly follows), and scores come from ``rapidfuzz``.

A token's key is built in this order (each step is one romanisation habit):

1. NFC; Cyrillic → Latin (iuliia Wikipedia, stress marks off; Ukrainian/Belarusian
   letters iuliia lacks by the national schemes); scholarly diacritics spelled out
   (š→sh, č→ch, ž→zh, ŭ→w, ë→yo), other diacritics dropped; apostrophes and soft signs
   (’ ' ʹ ʺ) dropped; lower case.
2. x→ks (Alexei/Aleksei), kh→h (Mikhail/Mihail), w→v (Wrangel/Vrangel), j→y
   (Sergej/Sergey), tch→ch, ou→u (French Toukhatchevski), tz→ts, c→ts unless in ch
   (scholarly Konovalec), final -off/-eff→-ov/-ev.
3. yo after a consonant, io between consonants → e (Fyodor/Fedor/Fiodor, Pyotr/Piotr/Petr); ye→e (Yevgeny/Evgeny,
   Sergeyevich/Sergeevich); iev→ev (Vasilievna/Vasilyevna); yu/iu after a consonant → u
   (Lyushkov/Liushkov/Lushkov); then every y→i (Lavrentiy/Lavrentii, Dmitry/Dmitri).
4. Doubled letters collapse (Evgenii/Yevgeny → evgeni, -skiy/-skii/-sky → -ski,
   Spiegelglass/Spigelglas's -ss).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import iuliia
import regex
from rapidfuzz.distance import JaroWinkler

_CYRILLIC = regex.compile(r"\p{Script=Cyrl}")
_STRESS = regex.compile("[\u0300\u0301]")
_NON_RUSSIAN_CYRILLIC = str.maketrans({
    "є": "ye", "Є": "Ye", "і": "i", "І": "I", "ї": "yi", "Ї": "Yi", "ґ": "g", "Ґ": "G", "ў": "w", "Ў": "W",
})  # fmt: skip
_DIACRITICS = str.maketrans({
    "š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh", "ŭ": "w", "Ŭ": "W", "ë": "yo", "Ë": "Yo",
    "ś": "s", "ć": "ch", "ź": "z", "ż": "zh", "ł": "l", "Ł": "L", "ø": "o", "ß": "ss",
})  # fmt: skip
_APOSTROPHES = re.compile("['’ʹʺ`′\u02bc]")
_NOT_LETTER = regex.compile(r"[^\p{L}]+")
_CONSONANT = "bcdfghjklmnpqrstvwxz"
_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"x", "ks"),
        (r"kh", "h"),
        (r"w", "v"),
        (r"j", "y"),
        (r"tch", "ch"),
        (r"ou", "u"),
        (r"tz", "ts"),
        (r"c(?!h)", "ts"),
        (r"(?<=[oe])ff$", "v"),
        (rf"(?<=[{_CONSONANT}])yo", "e"),
        (rf"(?<=[{_CONSONANT}])io(?=[{_CONSONANT}])", "e"),
        (r"ye", "e"),
        (r"iev", "ev"),
        (rf"(?<=[{_CONSONANT}])[yi]u", "u"),
        (r"y", "i"),
        (r"(.)\1+", r"\1"),
    )
)

__all__ = ["NameKey", "name_key", "piece_keys", "romanise", "similarity", "token_key"]


@lru_cache(maxsize=1 << 14)  # called on name_key's misses: few repeats left to catch
def romanise(text: str) -> str:
    """Latin text for a name: Cyrillic through iuliia's Wikipedia scheme, Latin returned as is (NFC)."""
    text = unicodedata.normalize("NFC", text)
    if not _CYRILLIC.search(text):
        return text
    plain = _STRESS.sub("", unicodedata.normalize("NFD", text))
    plain = unicodedata.normalize("NFC", plain).translate(_NON_RUSSIAN_CYRILLIC)
    return str(iuliia.WIKIPEDIA.translate(plain))


def _ascii_letters(token: str) -> str:
    spelled = _APOSTROPHES.sub("", token.translate(_DIACRITICS))
    decomposed = unicodedata.normalize("NFD", spelled)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_LETTER.sub("", bare).lower()


@lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """The romanisation-aware key of one name token (``Yevgeny`` and ``Evgenii`` → ``evgeni``)."""
    key = _ascii_letters(romanise(token))
    for pattern, replacement in _STEPS:
        key = pattern.sub(replacement, key)
    return key


_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "y", "i"}
)


@dataclass(frozen=True, slots=True)
class NameKey:
    """A personal name split into given name, middle names (patronymics) and surname(s), each as keys.

    ``surnames`` holds the last token's key and, for a name with a particle before its
    last token (``Caridad Mercader del Rio``), the token before the particle too: the
    Iberian compound is also cited by its first part (``Caridad Mercader``).
    """

    given: str
    middles: tuple[str, ...]
    surnames: tuple[str, ...]
    full: tuple[str, ...] = field(init=False, repr=False, compare=False)  # given, middles, surname

    def __post_init__(self) -> None:
        object.__setattr__(self, "full", (self.given, *self.middles, self.surnames[0]))  # compared often

    @property
    def surname(self) -> str:
        return self.surnames[0]

    @property
    def initial_only(self) -> bool:
        """The given name is only an initial (``N. Eitingon``)."""
        return len(self.given) == 1


@lru_cache(maxsize=1 << 16)  # a corpus names the same people over and over; keys are pure and frozen
def name_key(name: str) -> NameKey | None:
    """Keys of a given-name-first personal name of two or more tokens; None for one token or none."""
    tokens = [t for t in romanise(name).replace(",", " ").split() if t]
    words = [t for t in tokens if t.casefold() not in _PARTICLES]
    keys = [k for k in (token_key(t) for t in words) if k]
    if len(keys) < 2:
        return None
    surnames = [keys[-1]]
    if len(tokens) >= 3 and tokens[-2].casefold() in _PARTICLES and len(keys) >= 3:
        surnames.append(keys[-2])
        return NameKey(keys[0], tuple(keys[1:-2]), tuple(surnames))
    return NameKey(keys[0], tuple(keys[1:-1]), tuple(surnames))


@lru_cache(maxsize=1 << 16)
def piece_keys(token: str) -> frozenset[str]:
    """The keys ``name_key`` can take from one token of a name: its pieces (split at commas) that
    are no particle. Every key of ``name_key(" ".join(tokens))`` is a piece key of one of the tokens,
    so a name none of whose tokens has a given key (or a surname key) of an index cannot be in it."""
    pieces = romanise(token).replace(",", " ").split()
    return frozenset(k for k in (token_key(p) for p in pieces if p.casefold() not in _PARTICLES) if k)


def similarity(a: str, b: str) -> float:
    """Jaro–Winkler similarity of two keys (rapidfuzz), 1.0 for equal keys."""
    return float(JaroWinkler.normalized_similarity(a, b))
