"""A light language guess from stopword profiles (and script, for languages written without
spaces).  Good enough to choose hyphenation and quote conventions; callers can always override."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .textutil import CJK_FIRST, LazyPattern

# Frequent function words per language.  Words shared by several languages ("a", "de", "la", "e")
# count for each; the distinctive ones decide.
STOPWORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the and of to a in is that for it was on with as be at by this have from are his "
              "but not they which you he she we has had were their been will would an or its who "
              "said more about there than when what also after into over could these them",
        "fr": "le la les des du un une et est que qui dans pour pas sur au aux avec ce ces il elle "
              "ils ont été sont par plus ne se son sa ses leur mais nous vous était cette être "
              "comme aussi fait tout entre",
        "de": "der die das und ist nicht ein eine einen dem den des mit von zu auf für sich im es "
              "auch als wird werden bei nach aus wie noch hat sind oder war wurde kann dass über "
              "einem einer diese zum zur",
        "es": "el la los las de y que en un una es por con para del se no al lo su sus como más "
              "pero fue ha sido está son también este esta entre sobre cuando muy sin hay desde",
        "it": "il lo la gli le di e che un una è per non con del della dei delle nel nella sono "
              "si da al alla anche come più ma ha questo questa essere stato degli sul tra",
        "pt": "o a os as de e que em um uma é para com não do da dos das no na nos se por mais "
              "mas foi ao como ser seu sua também está são pelo pela entre isso sobre já",
        "nl": "de het een en van in is dat op te zijn met voor niet die aan er ook als bij door "
              "maar om hij zij was werd wordt naar uit dan nog wel deze heeft kan",
        "ru": "и в не на что с по как это он она они к из у за от для но так же было был была "
              "все его ее о бы только уже или мы вы при если когда который также",
        "uk": "і в не на що з по як це він вона вони до із у за від для але так було був була "
              "все його її бути тільки вже або ми ви при якщо коли який також та й",
        "cs": "a v se na je že s z do to o k i jak ale jako by pro za po jsou byl byla bylo "
              "který která které také jeho jejich už tak ve ze než aby podle při",
        "pl": "i w się na nie z do to że jest o jak ale po co tak za od przez dla już był była "
              "było są oraz tylko może który która które jego ich",
        "sv": "och i att det som en på är av för med till den har inte om ett var men från de "
              "kan så vid också efter eller",
    }.items()
}


def _languages_of_stopwords() -> dict[str, tuple[str, ...]]:
    """A stopword -> the languages it is a stopword of (one lookup per word, not one per language)."""
    languages_of: dict[str, tuple[str, ...]] = {}
    for code, words in STOPWORDS.items():
        for word in words:
            languages_of[word] = languages_of.get(word, ()) + (code,)
    return languages_of


_LANGUAGES_OF = _languages_of_stopwords()

_WORD = re.compile(r"[^\W\d_]+")
# Compiled only for texts with characters from U+3040 up (see textutil: big ranges compile slowly).
_KANA = LazyPattern(r"[\u3040-\u30ff]")
_HANGUL = LazyPattern(r"[\uac00-\ud7af]")
_HAN = LazyPattern(r"[\u4e00-\u9fff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_GREEK = re.compile(r"[\u0370-\u03ff]")

MAX_SAMPLE_CHARS = 20000     # the guess needs a few hundred words, not the whole book
DEFAULT_LANGUAGE = "en"


def guess_language(text: str) -> str:
    """A BCP 47 primary tag: the stopword profile with most hits, else the script's language,
    else ``en``."""
    sample = text[:MAX_SAMPLE_CHARS]
    script = _script_language(sample)
    if script is not None:
        return script
    scores = dict.fromkeys(STOPWORDS, 0)
    for token, count in Counter(_WORD.findall(sample.casefold())).items():
        for code in _LANGUAGES_OF.get(token, ()):
            scores[code] += count
    best = max(scores, key=lambda code: (scores[code], code == DEFAULT_LANGUAGE))
    if scores[best] < 2:
        return DEFAULT_LANGUAGE
    # Cyrillic: Russian and Ukrainian share many words; letters only Ukrainian has decide.
    if best in ("ru", "uk"):
        return "uk" if re.search("[іїєґ]", sample.casefold()) else "ru"
    return best


# (characters of a script, share of the letters they must pass, language), tried in order; the
# kana, hangul and han classes only for texts with a character from CJK_FIRST up.
_CJK_SCRIPTS = ((_KANA, 0.05, "ja"), (_HANGUL, 0.2, "ko"), (_HAN, 0.2, "zh"))
_OTHER_SCRIPTS = ((_ARABIC, 0.3, "ar"), (_HEBREW, 0.3, "he"), (_GREEK, 0.3, "el"))


def _script_language(sample: str) -> str | None:
    characters = Counter(sample)
    letters = max(1, sum(n for ch, n in characters.items() if ch.isalpha()))
    scripts = _OTHER_SCRIPTS
    if max(characters, default="") >= CJK_FIRST:      # else there is no kana, hangul or han
        scripts = _CJK_SCRIPTS + _OTHER_SCRIPTS
    for pattern, share, language in scripts:
        if len(pattern.findall(sample)) > letters * share:
            return language
    return None


ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())


@lru_cache(maxsize=65536)
def stopword_ratio(text: str) -> float:
    """Share of a text's words that are function words of some language: high in sentences,
    low in menus, lists of names and tag clouds."""
    tokens = _WORD.findall(text.casefold())
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if t in ALL_STOPWORDS) / len(tokens)
