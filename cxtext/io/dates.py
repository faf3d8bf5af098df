"""Dates written in words, in several languages, after a short phrase; and relative dates ("a month ago").

``date_text(text)`` rewrites one date cell so pandas can read it: a short leading phrase of words
("Rédigé le", "Written on", "Escrito em", "Freitag,") is dropped, and a date with its month in words,
day first or (English) month first, becomes ISO ``YYYY-MM-DD`` (a time after it is kept):

    "Rédigé le 6 décembre 2024"   -> "2024-12-06"
    "6 de março de 2023"          -> "2023-03-06"
    "Written on December 6, 2024" -> "2024-12-06"
    "Written on 12/06/2024"       -> "12/06/2024"   (numbers: day or month first is decided per column)

Month names (full, and the usual abbreviations) of English, French, Spanish, Portuguese, German,
Italian, Dutch, Turkish and Romanian, compared without case or diacritics: a small table, no date
library. Anything else is returned unchanged.

``date_order(texts)`` decides, once per column, whether numeric dates write the day or the month first,
and says why (the column mapping shows it, so a wrong guess can be caught).

``is_relative_date(text)`` is True for phrases a page shows instead of a date ("a month ago",
"2 years ago", "il y a 3 mois", "hace 2 meses", "vor 3 Tagen", "2 ay önce", "yesterday"): they are
relative to an unknown moment (when the page was read), so they are never turned into dates.
"""

from __future__ import annotations

import re
import unicodedata

# month number -> names (lower case, without diacritics); abbreviations of 3+ letters that name one month
_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "enero", "ene", "janeiro", "januar", "janner", "jaenner", "gennaio",
        "gen", "januari", "ocak", "ianuarie", "ian"),
    2: ("february", "feb", "fevrier", "fevr", "fev", "febrero", "fevereiro", "februar", "febbraio", "februari",
        "subat", "februarie"),
    3: ("march", "mar", "mars", "marzo", "marco", "marz", "maerz", "maart", "mrt", "mart", "martie"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "nisan", "aprilie"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag", "mei", "mayis", "mai"),
    6: ("june", "jun", "juin", "junio", "junho", "juni", "giugno", "giu", "haziran", "iunie"),
    7: ("july", "jul", "juillet", "juil", "julio", "julho", "juli", "luglio", "lug", "temmuz", "iulie"),
    8: ("august", "aug", "aout", "agosto", "ago", "augustus", "agustos", "agu"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "setembro", "set", "settembre",
        "eylul", "septembrie"),
    10: ("october", "oct", "octobre", "octubre", "outubro", "out", "oktober", "okt", "ottobre", "ott", "ekim",
         "octombrie"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "kasim", "noiembrie", "noi"),
    12: ("december", "dec", "decembre", "diciembre", "dic", "dezembro", "dez", "dezember", "dicembre", "aralik",
         "decembrie"),
}
# Russian and Ukrainian, as written in review sites' dates ("30 мар 2024", "12 января 2024 г."); folded as
# :func:`fold` folds them ("май" -> "маи": the breve is a diacritic). A Russian bank review export lost its dates.
_CYRILLIC_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("января", "январь", "янв", "січня", "січень", "січ"),
    2: ("февраля", "февраль", "фев", "февр", "лютого", "лютий", "лют"),
    3: ("марта", "март", "мар", "березня", "березень", "бер"),
    4: ("апреля", "апрель", "апр", "квітня", "квітень", "квіт"),
    5: ("мая", "маи", "травня", "травень", "трав"),
    6: ("июня", "июнь", "июн", "червня", "червень", "черв"),
    7: ("июля", "июль", "июл", "липня", "липень", "лип"),
    8: ("августа", "август", "авг", "серпня", "серпень", "серп"),
    9: ("сентября", "сентябрь", "сен", "сент", "вересня", "вересень", "вер"),
    10: ("октября", "октябрь", "окт", "жовтня", "жовтень", "жовт"),
    11: ("ноября", "ноябрь", "ноя", "нояб", "листопада", "листопад", "лист"),
    12: ("декабря", "декабрь", "дек", "грудня", "грудень", "груд"),
}
MONTH_NUMBERS: dict[str, int] = {name: number for months in (_MONTHS, _CYRILLIC_MONTHS)
                                 for number, names in months.items() for name in names}
_MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
# a few words before the date (letters only, no digit): "Rédigé le", "Written on", "Reviewed:", "Freitag,", and
# Amazon's "Reviewed in the United Kingdom on", "Recensito in Stati Uniti il" (a flag emoji may follow the country)
_PREFIX = r"(?:(?:[^\W\d_]+[.:,]?|[^\w\s]{1,4})\s+){0,7}"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|eme|º|°|\.)?"
_YEAR = r"(?P<year>\d{4})(?:\s*(?:г|года|р|року)\.?)?"  # "2024 г.", "2024 року": the year, in Russian or Ukrainian
_TIME = r"(?P<time>(?:\s*(?:,|at|a|à|om|um|alle|saat|la|às|,)?\s*\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?)"
# 6 décembre 2024, 6 de março de 2023, 6. Dezember 2024, 6 December, 2024
_DAY_MONTH_YEAR = re.compile(rf"^\s*{_PREFIX}{_DAY}\s*(?:de\s+|of\s+)?(?P<month>{_MONTH})\.?,?\s+(?:de\s+)?{_YEAR}"
                             rf"{_TIME}\s*$", re.IGNORECASE)
# December 6, 2024; Dec 6th 2024
_MONTH_DAY_YEAR = re.compile(rf"^\s*{_PREFIX}(?P<month>{_MONTH})\.?\s+{_DAY},?\s+{_YEAR}{_TIME}\s*$", re.IGNORECASE)
# "Written on 12/06/2024", "Date: 2024-12-06 10:00": a phrase of words before a date in numbers
_WORDS_BEFORE_NUMBER = re.compile(r"^\s*(?:[^\W\d_]+[.:,]?\s+){1,4}(?=\d)")
# what may follow such a phrase: a date in numbers (and a time), nothing else
_NUMERIC_DATE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?\S*)?\s*$")

# the amount and unit of a relative date, e.g. "3 mois", "a month", "bir ay"; the unit is any one word
_N = r"(?:\d+|a|an|one|un|une|una|uno|um|uma|ein|eine|einem|einer|een|bir|o)\s+[^\W\d_]+"
_RELATIVE = re.compile(
    rf"^(?:{_N}\s+ago"                                          # en: a month ago, 2 years ago
    rf"|il y a\s+{_N}|hace\s+{_N}|ha\s+{_N}|vor\s+{_N}|acum\s+{_N}"  # fr es pt de ro
    rf"|{_N}\s+(?:fa|geleden|once)"                            # it nl tr
    r"|yesterday|today|just now|hier|aujourd'hui|ayer|hoy|ontem|hoje|gestern|heute|ieri|oggi|gisteren|vandaag"
    r"|dun|bugun|azi)$")


def fold(text: str) -> str:
    """Lower case without Latin diacritics (ş -> s, é -> e) and with Turkish dotless ı as i."""
    text = unicodedata.normalize("NFKD", text.lower().replace("ı", "i"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def date_text(text: str) -> str:
    """``text`` as pandas can read it (see the module docstring); unchanged when it holds no such date."""
    folded = fold(text)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.match(folded)
        if match:
            month = MONTH_NUMBERS[match.group("month").lower()]
            day, year = int(match.group("day")), int(match.group("year"))
            if not 1 <= day <= 31:
                return text
            time = re.search(r"\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", match.group("time") or "")
            clock = " " + time.group(0).replace("h", ":") if time else ""
            return f"{year:04d}-{month:02d}-{day:02d}{clock}"
    prefix = _WORDS_BEFORE_NUMBER.match(text)
    if prefix and _NUMERIC_DATE.match(text[prefix.end():]) \
            and not any(word.strip(".:,").lower() in MONTH_NUMBERS for word in fold(text[:prefix.end()]).split()):
        return text[prefix.end():]
    return text


def is_relative_date(text: str) -> bool:
    """True for "a month ago", "2 years ago", "il y a 3 mois", "hace 2 meses", "há 3 meses", "vor 2 Tagen",
    "3 ay önce", "2 mesi fa", "3 maanden geleden", "acum 2 luni", "yesterday": a time relative to an unknown
    moment (when the page was read). The whole cell must be such a phrase."""
    folded = " ".join(fold(text).split())
    return bool(folded) and len(folded) <= 40 and bool(_RELATIVE.match(folded))


_DAY_AND_MONTH = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")


def date_order(texts: list[str]) -> tuple[bool, str | None]:
    """Whether a column of numeric dates writes the day first (``20/01/2020``), and why; decided from every
    value, never value by value. ``why`` is None when no value is a numeric date.

    A first number above 12 anywhere means day first, a second number above 12 month first, dots
    (``04.03.2023``), which only day-first locales write, day first. When no number is above 12 either
    order fits: the number that takes more different values is the day (a French Google Forms export
    written 08/11/2021 ... 12/11/2021, five days of November, was read as five months); with as many of
    each, month first, as pandas and US exports read them. The last two say "check it".
    """
    firsts, seconds, dotted = [], [], 0
    for text in texts:
        match = _DAY_AND_MONTH.match(str(text))
        if match:
            firsts.append(int(match.group(1)))
            seconds.append(int(match.group(2)))
            dotted += "." in str(text)[:match.end()]
    if not firsts:
        return False, None
    if any(n > 12 for n in firsts):
        example = next(t for t, n in zip(texts, firsts) if n > 12)
        return True, f"day first ('{str(example).strip()[:16]}' has no month {max(firsts)})"
    if any(n > 12 for n in seconds):
        return False, f"month first (no month {max(seconds)})"
    if dotted > len(firsts) / 2:
        return True, "day first (written with dots, as day-first locales write)"
    days_first, days_second = len(set(firsts)), len(set(seconds))
    if days_first != days_second:
        first = days_first > days_second
        return first, (f"{'day' if first else 'month'} first: no number is above 12, so either order fits, but the "
                       f"{'first' if first else 'second'} number takes {max(days_first, days_second)} different "
                       f"values and the {'second' if first else 'first'} {min(days_first, days_second)}, as days "
                       "and months do; check it")
    return False, "month first, as US exports write: no number is above 12, so either order fits; check it"
