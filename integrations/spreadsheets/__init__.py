"""Spreadsheet import of the program's accounts and contacts (CSV or XLSX).

Written on tablib's neighbours (csv, openpyxl) rather than django-import-export, because a row
here is TWO models (an account and one of its contacts) written all or nothing across both:
- import-export runs one Resource (one model) over a dataset; the contact's Resource needs the
  account's ids, so it would be two passes with a hand-made join between them, and its dry run
  writes inside a transaction it rolls back (we want a dry run that writes nothing at all);
- its matching is `import_id_fields`, equal values on fixed fields; ours falls back (external
  id, else a name ignoring case; a contact's email within the account, else anywhere when
  unique) and refuses ambiguity, which means overriding `get_instance` row by row — one or more
  queries per row and model, where a 10,000-row file must cost a fixed number of queries;
- its bulk mode skips many-to-many fields (products) and per-row validation detail.
So: reading.py (the file), lookups.py (everything a dry run reads, up front), planning.py (the
dry run: match and check each row; errors by row and column), writing.py (bulk writes) and
jobs.py (the services: keep the file, run now or in Celery, progress).
"""
