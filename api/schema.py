"""What drf-spectacular does not say by itself: the refusals every operation may answer with.

Each operation documents its success only; the API also answers 400 (invalid input: each field
at fault with its messages, or `detail`), 403 (not signed in, or not yours to do), 404 (not
there or not yours to see; "Invalid cursor" for a made-up page position) and, for writes, 409
(someone acted first). The fuzz pass (tests/security/test_fuzz_api.py) checks responses against
this.
"""

_REFUSAL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
# Field names to their messages (a list's items by index), and or `detail`.
_FIELD_ERRORS = {"type": "object", "properties": {"detail": {"type": "string"}}, "additionalProperties": True}
_REFUSALS = {
    "400": ("Invalid input: each field at fault with its messages, or `detail`.", _FIELD_ERRORS),
    "403": ("Not signed in, or not yours to do.", _REFUSAL),
    "404": ("Not there, not yours to see, or an invalid page cursor.", _REFUSAL),
}
_CONFLICT = {"409": ("Someone acted first, or the action no longer fits the request.", _REFUSAL)}


def document_refusals(result, generator, request, public):
    """drf-spectacular post-processing hook: add the refusals to every operation."""
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            refusals = {**_REFUSALS, **(_CONFLICT if method in ("post", "put", "patch", "delete") else {})}
            for status, (description, schema) in refusals.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result
