"""Exports of the lists people work from, as CSV or XLSX: the writer (writer.py: streamed CSV,
XLSX built in a temporary file, every text cell formula-safe) and the sheets (sheets.py: which
columns each list exports). The rows always come from the caller — the same selector, started
from `visible_to(user)`, that the page itself shows — so an export never holds more than its page
would; the sheets only choose the columns, and never a contact's email or phone."""
