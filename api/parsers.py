"""The API's JSON parser: DRF's, refusing documents nested deeper than MAX_DEPTH with a 400.

Python's json module parses recursively, so a document nested 100,000 deep raised RecursionError
(a 500). The depth is measured first, in one linear pass without recursion. Numbers too long for
Python (over 4,300 digits) and undecodable bytes already fail in json with a ValueError, which
DRF's parser turns into a 400; long strings meet the serializers' max_length.
"""

import io
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Deeper than any document the API takes (its deepest is an object holding a list: 2).
MAX_DEPTH = 32

# A JSON string with its escapes (or the rest of the text, when one is left open), or a bracket.
# Greedy and unambiguous, so the pass is linear even on hostile text.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_OPENING = frozenset(b"[{")
_CLOSING = frozenset(b"]}")


def json_too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than `limit`."""
    depth = 0
    for token in _TOKEN.finditer(raw):
        first = token.group()[0]
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif first in _CLOSING:
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if json_too_deep(raw):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
