"""The one password policy: at least 12 characters and hard to guess (zxcvbn, offline).

Every place that sets a password (own change, an admin's initial password, the
``users create`` command) asks :func:`password_problems`; generated passwords come
from :func:`generate_password` and always pass.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", 4 = "very unguessable"
# zxcvbn's running time grows with the length; the first characters decide the score.
CHECKED_CHARS = 64
# Letters and digits that cannot be mistaken for each other when read aloud or copied.
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

GENERAL_ADVICE = _l("Use a few unrelated words or a longer sentence; avoid names, dates and "
                    "keyboard patterns.")
# zxcvbn's feedback is English only: each warning it gives, in our own words.
WARNINGS = {
    "Straight rows of keys are easy to guess.": _l("Keyboard patterns are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Keyboard patterns are easy to guess."),
    'Repeats like "aaa" are easy to guess.': _l("Repeated characters are easy to guess."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        _l("Repeated characters are easy to guess."),
    'Sequences like "abc" or "6543" are easy to guess.':
        _l("Sequences such as abc or 6543 are easy to guess."),
    "Recent years are easy to guess.": _l("Dates and years are easy to guess."),
    "Dates are often easy to guess.": _l("Dates and years are easy to guess."),
    "This is a top-10 common password.": _l("This is one of the most common passwords."),
    "This is a top-100 common password.": _l("This is one of the most common passwords."),
    "This is a very common password.": _l("This is one of the most common passwords."),
    "This is similar to a commonly used password.":
        _l("This is similar to a commonly used password."),
    "A word by itself is easy to guess.": _l("A single word is easy to guess."),
    "Names and surnames by themselves are easy to guess.": _l("Names are easy to guess."),
    "Common names and surnames are easy to guess.": _l("Names are easy to guess."),
}


def password_problems(password: str, user_inputs: Iterable[str] = ()) -> list[str]:
    """Why ``password`` is refused (translated sentences), or an empty list if it is fine.

    ``user_inputs`` are words an attacker would try first: the user name, the display
    name, the site's name.
    """
    if len(password) < MIN_LENGTH:
        return [str(_l("The password needs at least %(n)d characters.", n=MIN_LENGTH)),
                str(GENERAL_ADVICE)]
    if len(password) > MAX_LENGTH:
        return [str(_l("The password may have at most %(n)d characters.", n=MAX_LENGTH))]
    from zxcvbn import zxcvbn

    words = [w for value in user_inputs if value for w in [value, *str(value).split()]]
    result = zxcvbn(password[:CHECKED_CHARS], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return []
    problems = [str(_l("This password is too easy to guess."))]
    if any(m.get("dictionary_name") == "user_inputs" for m in result.get("sequence", [])):
        problems.append(str(_l("Do not use your name or the name of the meeting point.")))
    warning = WARNINGS.get(result["feedback"].get("warning") or "")
    if warning is not None and str(warning) not in problems:
        problems.append(str(warning))
    problems.append(str(GENERAL_ADVICE))
    return problems


class StrongPassword:
    """WTForms validator: the policy, with the user's own words from ``user_inputs()``."""

    def __init__(self, user_inputs: Callable[[Any], Iterable[str]] | None = None) -> None:
        self.user_inputs = user_inputs

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            return
        words = list(self.user_inputs(form)) if self.user_inputs else []
        problems = password_problems(field.data, words)
        if problems:
            raise ValidationError(" ".join(problems))


def site_words() -> list[str]:
    """The site's name: a word every attacker of this site tries."""
    from intranet.core.site_settings import setting

    return [str(setting("SITE_NAME") or ""), "mittelpunkt"]


def generate_password() -> str:
    """A random password of 20 characters in groups of five (about 116 bits)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(20))
    return "-".join(raw[i:i + 5] for i in range(0, 20, 5))
