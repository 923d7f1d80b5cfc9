"""English month names and their abbreviations, shared by every stage that reads dates."""

from __future__ import annotations

from pipeline.vocab import load_vocab

_FORMS: tuple[tuple[str, ...], ...] = tuple(tuple(forms) for forms in load_vocab("months"))

# Lower-case names and abbreviations (without a period) -> month number.
MONTHS: dict[str, int] = {
    form.lower(): number for number, forms in enumerate(_FORMS, start=1) for form in forms
}
# As printed: capitalised full names, and abbreviations with their period ("Sept.") -> month number.
MONTHS_AS_PRINTED: dict[str, int] = {
    form if index == 0 else f"{form}.": number
    for number, forms in enumerate(_FORMS, start=1)
    for index, form in enumerate(forms)
}
FULL_MONTH_NAMES: tuple[str, ...] = tuple(forms[0] for forms in _FORMS)
