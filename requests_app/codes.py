"""Verification codes: the short code an approved ask carries, which the asked customer can check
in the portal ("nobody contacts you for a reference without a code").

Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), drawn with
`secrets`: 25^8 ≈ 1.5·10^11 codes, checked against a per-contact and per-address rate limit, so a
code cannot be guessed. Shown and typed in two groups of four ("K7MQ-3XPD"); typing is forgiving
(case, spaces, dashes).
"""

import re
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
_NOT_CODE = re.compile(r"[\s\-–—_.]")


def new_code() -> str:
    """A fresh random code (stored without the dash)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_text(code: str | None) -> str:
    """The code as people read it: "ABCD-EFGH" ("" for none)."""
    if not code:
        return ""
    return f"{code[:4]}-{code[4:]}"


def code_from_text(text: str) -> str | None:
    """The code typed by someone ("abcd efgh", "ABCD-EFGH"), or None if it cannot be one."""
    code = _NOT_CODE.sub("", text or "").upper()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
