"""Every word the writers print that is not the article's own: one table, localised.

A label is looked up by key in the language of the part it belongs to (a briefing's cover and
contents in the briefing's language, an article's "Related" in the article's), falling back from
``pt-BR`` to ``pt`` and then to English.  Templates use ``str.format`` fields (``{page}``,
``{count}``…); :func:`label` fills the ones it is given and leaves ``{page}``/``{pages}`` for the
writer, which alone knows them.
"""
from __future__ import annotations

from typing import Mapping

FALLBACK_LANGUAGE = "en"

#: key -> language -> text.  Keep the keys in the order a reader meets them.
LABELS: Mapping[str, Mapping[str, str]] = {
    "contents": {"en": "Contents", "fr": "Sommaire", "de": "Inhalt", "es": "Índice", "pt": "Índice",
                 "it": "Indice", "nl": "Inhoud", "uk": "Зміст", "ru": "Содержание",
                 "he": "תוכן העניינים", "ar": "المحتويات"},
    "key-quotes": {"en": "Key quotes", "fr": "Citations clés", "de": "Schlüsselzitate", "es": "Citas clave",
                   "pt": "Citações-chave", "it": "Citazioni chiave", "nl": "Belangrijkste citaten",
                   "uk": "Ключові цитати", "ru": "Ключевые цитаты",
                   "he": "ציטוטים מרכזיים", "ar": "اقتباسات رئيسية"},
    "speaker": {"en": "Speaker", "fr": "Locuteur", "de": "Sprecher", "es": "Hablante", "pt": "Orador",
                "it": "Oratore", "nl": "Spreker", "uk": "Мовець", "ru": "Говорящий",
                "he": "דובר", "ar": "المتحدث"},
    "speakers": {"en": "Speakers", "fr": "Locuteurs", "de": "Sprecher", "es": "Hablantes", "pt": "Oradores",
                 "it": "Oratori", "nl": "Sprekers", "uk": "Мовці", "ru": "Говорящие",
                 "he": "דוברים", "ar": "المتحدثون"},
    "quote": {"en": "Quote", "fr": "Citation", "de": "Zitat", "es": "Cita", "pt": "Citação", "it": "Citazione",
              "nl": "Citaat", "uk": "Цитата", "ru": "Цитата",
              "he": "ציטוט", "ar": "اقتباس"},
    "article": {"en": "Article", "fr": "Article", "de": "Artikel", "es": "Artículo", "pt": "Artigo",
                "it": "Articolo", "nl": "Artikel", "uk": "Стаття", "ru": "Статья",
                "he": "כתבה", "ar": "مقال"},
    "related": {"en": "Related", "fr": "À lire aussi", "de": "Mehr zum Thema", "es": "Relacionado",
                "pt": "Relacionado", "it": "Articoli correlati", "nl": "Gerelateerd", "uk": "Пов’язане",
                "ru": "По теме",
                "he": "כתבות קשורות", "ar": "مقالات ذات صلة"},
    "dropped": {"en": "Dropped lines", "fr": "Lignes écartées", "de": "Entfernte Zeilen",
                "es": "Líneas descartadas", "pt": "Linhas descartadas", "it": "Righe scartate",
                "nl": "Verwijderde regels", "uk": "Вилучені рядки", "ru": "Удалённые строки",
                "he": "שורות שהושמטו", "ar": "الأسطر المحذوفة"},
    # "Line 12 · share-widget": the line number and the reason code (codes stay as documented).
    "dropped-line": {"en": "Line {line} · {reason}", "fr": "Ligne {line} · {reason}", "de": "Zeile {line} · {reason}",
                     "es": "Línea {line} · {reason}", "pt": "Linha {line} · {reason}", "it": "Riga {line} · {reason}",
                     "nl": "Regel {line} · {reason}", "uk": "Рядок {line} · {reason}", "ru": "Строка {line} · {reason}",
                     "he": "שורה {line} · {reason}", "ar": "السطر {line} · {reason}"},
    "page-of-pages": {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}", "de": "Seite {page} von {pages}",
                      "es": "Página {page} de {pages}", "pt": "Página {page} de {pages}", "it": "Pagina {page} di {pages}",
                      "nl": "Pagina {page} van {pages}", "uk": "Сторінка {page} з {pages}", "ru": "Страница {page} из {pages}",
                      "he": "עמוד {page} מתוך {pages}", "ar": "صفحة {page} من {pages}"},
    "prepared-for": {"en": "Prepared for {name}", "fr": "Préparé pour {name}", "de": "Erstellt für {name}",
                     "es": "Preparado para {name}", "pt": "Preparado para {name}", "it": "Preparato per {name}",
                     "nl": "Opgesteld voor {name}", "uk": "Підготовлено для {name}", "ru": "Подготовлено для {name}",
                     "he": "הוכן עבור {name}", "ar": "أُعدّ من أجل {name}"},
    # The cover's count line; "{count}" is a number, "{sources}" a list made with "and" below.
    "articles-one": {"en": "1 article", "fr": "1 article", "de": "1 Artikel", "es": "1 artículo", "pt": "1 artigo",
                     "it": "1 articolo", "nl": "1 artikel", "uk": "1 стаття", "ru": "1 статья",
                     "he": "כתבה אחת", "ar": "مقال واحد"},
    "articles-many": {"en": "{count} articles", "fr": "{count} articles", "de": "{count} Artikel",
                      "es": "{count} artículos", "pt": "{count} artigos", "it": "{count} articoli",
                      "nl": "{count} artikelen", "uk": "Статей: {count}", "ru": "Статей: {count}",
                      "he": "{count} כתבות", "ar": "عدد المقالات: {count}"},
    "from-sources": {"en": "{articles} from {sources}", "fr": "{articles} de {sources}", "de": "{articles} aus {sources}",
                     "es": "{articles} de {sources}", "pt": "{articles} de {sources}", "it": "{articles} da {sources}",
                     "nl": "{articles} van {sources}", "uk": "{articles} · {sources}", "ru": "{articles} · {sources}",
                     "he": "{articles} · {sources}", "ar": "{articles} · {sources}"},
    "and": {"en": "and", "fr": "et", "de": "und", "es": "y", "pt": "e", "it": "e", "nl": "en", "uk": "і", "ru": "и",
            "he": "וגם", "ar": "وكذلك"},
    "no-articles": {"en": "No articles.", "fr": "Aucun article.", "de": "Keine Artikel.", "es": "Ningún artículo.",
                    "pt": "Nenhum artigo.", "it": "Nessun articolo.", "nl": "Geen artikelen.", "uk": "Статей немає.",
                    "ru": "Статей нет.",
                    "he": "אין כתבות.", "ar": "لا توجد مقالات."},
    "cover": {"en": "Cover", "fr": "Couverture", "de": "Titelseite", "es": "Portada", "pt": "Capa",
              "it": "Copertina", "nl": "Omslag", "uk": "Обкладинка", "ru": "Обложка",
              "he": "שער", "ar": "الغلاف"},
    "briefing": {"en": "Briefing", "fr": "Dossier", "de": "Briefing", "es": "Informe", "pt": "Briefing",
                 "it": "Briefing", "nl": "Briefing", "uk": "Брифінг", "ru": "Брифинг",
                 "he": "תדריך", "ar": "إحاطة"},
    "untitled": {"en": "Untitled", "fr": "Sans titre", "de": "Ohne Titel", "es": "Sin título", "pt": "Sem título",
                 "it": "Senza titolo", "nl": "Zonder titel", "uk": "Без назви", "ru": "Без названия",
                 "he": "ללא כותרת", "ar": "بلا عنوان"},
}


def base_language(tag: str | None) -> str:
    """``pt-BR`` -> ``pt``; None or ``und`` -> the fallback language."""
    if not tag or tag.lower() == "und":
        return FALLBACK_LANGUAGE
    return tag.split("-")[0].lower()


def label(key: str, language: str | None, **fields: object) -> str:
    """The label ``key`` in ``language`` (English when the table has no entry for it), with the
    given fields filled; fields not given (``{page}``) stay as written."""
    texts = LABELS[key]                      # a KeyError here is a programming error, not input
    text = texts.get(base_language(language)) or texts[FALLBACK_LANGUAGE]
    for name, value in fields.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def join_names(names: list[str], language: str | None) -> str:
    """"A", "A and B", "A, B and C" in the language."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {label('and', language)} " + names[-1]
