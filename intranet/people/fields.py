"""The person-code field: a person's reference code, looked up by the index."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, ValidationError

from intranet.people.models import CODE_LENGTH, Person, find_person, normalise_code


class PersonCodeField(StringField):
    """A person's reference code such as ``P-7K3MX``: case and spaces do not matter.

    While the form validates, a code that was typed is looked up (one indexed query) and
    the person is kept in ``field.person``; a code nobody has is an error on the field
    (``not_found``). An empty field is fine unless a validator such as ``DataRequired``
    says otherwise: then ``field.person`` stays ``None``.
    """

    data: str | None  # (WTForms ships no types)

    def __init__(self, label: Any = None, validators: list[Any] | None = None, *,
                 not_found: Any = None, **kwargs: Any) -> None:
        validators = [*(validators or []), Length(max=CODE_LENGTH)]
        kwargs.setdefault("render_kw", {"placeholder": "P-7K3MX", "autocomplete": "off",
                                        "spellcheck": "false"})
        super().__init__(label if label is not None else _l("Person code"), validators,
                         **kwargs)
        self.not_found = not_found or _l("No person has this code. Check it on the note.")
        self.person: Person | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.data = normalise_code(self.data or "")

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        self.person = None
        if validation_stopped or self.errors or not self.data:
            return
        self.person = find_person(self.data)
        if self.person is None:
            raise ValidationError(str(self.not_found))
