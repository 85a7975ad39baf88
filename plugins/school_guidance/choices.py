"""The fixed lists of school guidance: age groups, school types, referrals, languages.

Keys are stored in the database; labels are translated when shown.
"""

from __future__ import annotations

from . import _l

AGE_GROUPS = {
    "under_6": _l("under 6"),
    "6_10": _l("6 to 10"),
    "10_16": _l("10 to 16"),
    "16_plus": _l("16 and older"),
}

SCHOOL_TYPES = {
    "kita": _l("Kita (day care)"),
    "grundschule": _l("Grundschule (primary school)"),
    "hauptschule": _l("Hauptschule"),
    "realschule": _l("Realschule"),
    "oberschule": _l("Oberschule"),
    "gymnasium": _l("Gymnasium"),
    "gesamtschule": _l("Gesamtschule (IGS/KGS)"),
    "foerderschule": _l("Förderschule (special needs school)"),
    "bbs": _l("Berufsbildende Schule (vocational school)"),
    "sprachlernklasse": _l("Sprachlernklasse (language learning class)"),
    "none": _l("no school yet"),
}

REFERRALS = {
    "homework_help": _l("Homework help"),
    "tutoring": _l("Tutoring"),
    "education_provider": _l("Education provider"),
    "school_social_work": _l("School social work"),
    "school": _l("The school (teacher, head)"),
    "language_course": _l("German course"),
    "youth_vocational_help": _l("Youth vocational help"),
    "counselling": _l("Counselling at the meeting point"),
    "other": _l("Other"),
}

# Languages a talk or an evening may be held or interpreted in (German first).
LANGUAGES = ("de", "tr", "ar", "fa", "ru", "uk", "ps", "ku", "sq", "en")


def label(choices: dict[str, object], key: str) -> str:
    """A stored key's label, or the key itself for a value no longer in the list."""
    return str(choices.get(key, key))

# Titles of a one-off parents' evening created from the evening form (the core's
# offers carry their titles per language).
EVENING_TITLES = {
    "de": "Elternabend: das Schulsystem in Niedersachsen",
    "en": "Parents' evening: the school system in Lower Saxony",
    "tr": "Veli akşamı: Aşağı Saksonya'da okul sistemi",
    "ru": "Вечер для родителей: школьная система Нижней Саксонии",
    "ar": "لقاء الأهالي: النظام المدرسي في ولاية ساكسونيا السفلى",
    "fa": "جلسه والدین: نظام مدرسه در ایالت نیدرزاکسن",
    "uk": "Вечір для батьків: шкільна система Нижньої Саксонії",
}
