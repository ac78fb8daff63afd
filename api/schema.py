"""What drf-spectacular does not say by itself: the errors every operation may answer with, all
in the one body of api/errors.py.

Each operation documents its success only; the API also answers 400 (invalid input, each field
at fault named), 401 (no credentials, or a key that is unknown, revoked or expired), 403 (not
yours to do, or a key without the scope), 404 (not there or not yours to see; "Invalid cursor"
for a made-up page position), 429 (too many calls; `Retry-After` says when to try again) and,
for writes, 409 (someone acted first). The fuzz pass (tests/security/test_fuzz_api.py) checks
responses against this.
"""

ERROR_BODY = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
            "required": ["code", "message", "fields"],
            "additionalProperties": True,  # `confirm`: the yes/no field that accepts a warning
        }
    },
    "required": ["error"],
}
_REFUSALS = {
    "400": "Invalid input: `fields` names each field at fault with its messages.",
    "401": "No credentials, or an API key that is unknown, revoked or expired.",
    "403": "Not yours to do, or an API key without the scope this call needs.",
    "404": "Not there, not yours to see, or an invalid page cursor.",
    "429": "Too many calls; `Retry-After` says in how many seconds to try again.",
}
_CONFLICT = {"409": "Someone acted first, or the action no longer fits."}


def document_refusals(result, generator, request, public):
    """drf-spectacular post-processing hook: add the refusals to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_BODY
    reference = {"$ref": "#/components/schemas/Error"}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            refusals = {**_REFUSALS, **(_CONFLICT if method in ("post", "put", "patch", "delete") else {})}
            for status, description in refusals.items():
                operation["responses"].setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": reference}}},
                )
    return result
