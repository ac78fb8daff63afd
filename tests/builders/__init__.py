"""Test helpers that build rows: the catalogue (`catalogue`), requests in any workflow state
(`requests`) and references with the search index over them (`search`).

They build through the apps' services where one exists and read the apps' own tables (the
transition table, the usual path to each status), so they never keep a copy of the demo's data
or logic.
"""
