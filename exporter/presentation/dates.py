"""Dates written for a reader in the article's language: ``2024-07-12`` -> "12 July 2024",
"12 juillet 2024", "12. Juli 2024", "12 de julio de 2024", "12 июля 2024", "12 ביולי 2024", "12 يوليو 2024".

Only the display changes: metadata (PDF info, core properties, ``dc:date``) keeps the ISO form.
A value that is not an ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a timestamp starting
with one) is shown as given; a language without month names here is written in English.
"""
from __future__ import annotations

import re

from .labels import base_language

# Month names as they stand after a day number (genitive where the language inflects: ru, uk).
_MONTHS_AFTER_DAY: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "uk": ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
           "листопада", "грудня"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
    "he": ("ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר", "נובמבר",
           "דצמבר"),
    # the month names of Egypt and the Gulf, the most widely read (the Levant's differ)
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
           "ديسمبر"),
}
# Month names standing alone ("July 2024"): the nominative where it differs.
_MONTHS_ALONE: dict[str, tuple[str, ...]] = {
    "uk": ("січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень", "вересень",
           "жовтень", "листопад", "грудень"),
    "ru": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
           "ноябрь", "декабрь"),
}
# How day, month and year are put together.
_DAY_PATTERN = {"de": "{day}. {month} {year}", "es": "{day} de {month} de {year}", "pt": "{day} de {month} de {year}",
                "he": "{day} ב{month} {year}"}
_MONTH_PATTERN = {"es": "{month} de {year}", "pt": "{month} de {year}"}
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$")


def display_date(value: str | None, language: str | None) -> str | None:
    """``value`` written for a reader of ``language``; None for no date; as given when not ISO."""
    if not value or not value.strip():
        return None
    value = " ".join(value.split())
    match = _ISO.match(value)
    if not match:
        return value
    year, month, day = match.group(1), match.group(2), match.group(3)
    lang = base_language(language)
    if lang not in _MONTHS_AFTER_DAY:
        lang = "en"
    if month is None:
        return year
    month_number = int(month)
    if not 1 <= month_number <= 12:
        return value
    if day is None:
        name = _MONTHS_ALONE.get(lang, _MONTHS_AFTER_DAY[lang])[month_number - 1]
        if lang in ("en", "de", "nl", "uk", "ru"):
            name = name[:1].upper() + name[1:]
        return _MONTH_PATTERN.get(lang, "{month} {year}").format(month=name, year=year)
    day_number = int(day)
    if not 1 <= day_number <= 31:
        return value
    # French writes the first of the month as an ordinal: "1er juillet".
    day_text = "1er" if lang == "fr" and day_number == 1 else str(day_number)
    name = _MONTHS_AFTER_DAY[lang][month_number - 1]
    return _DAY_PATTERN.get(lang, "{day} {month} {year}").format(day=day_text, month=name, year=year)
