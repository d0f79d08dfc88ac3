"""French spacing of the project's own texts: a narrow no-break space before « ? ! ; : » and inside « ».

In: text written by the project (templates' literal text, through `FrenchSpacing`).
Out: the same text, where a line break can no longer leave « ? », « : » or « » » alone at the start of
a line, as French typography wants.

Only the templates' own text is changed: what fills them (a participant's words, names) comes through
Jinja expressions and stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

NARROW_NO_BREAK_SPACE = "\u202f"
_SPACE_BEFORE = re.compile(r"[ \u00a0]([?!;:»])")
_SPACE_AFTER = re.compile(r"« ")


def french_spacing(text: str) -> str:
    """« Vous cherchez ? » → « Vous cherchez\u202f? », « « texte » » → « «\u202ftexte\u202f» »."""
    return _SPACE_AFTER.sub("«" + NARROW_NO_BREAK_SPACE, _SPACE_BEFORE.sub(NARROW_NO_BREAK_SPACE + r"\1", text))


class FrenchSpacing(Extension):
    """Applies `french_spacing` to the literal text of every template, never to the values it shows."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        for token in stream:
            yield Token(token.lineno, token.type, french_spacing(token.value)) if token.type == "data" else token
