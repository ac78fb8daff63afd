"""The periodic job: every contact's usage at once, set-based, and who moves in or out of resting.

One transaction, the same few statements whatever the number of contacts (no loop per contact):

1. `limits_changed` (a temporary table): who may have changed. The hourly and daily runs take
   the contacts database triggers noted since the last run (limits.UsageChange: an activity
   recorded, moved, retyped or deleted, an own cap set, a request approved, cancelled or
   declined — whatever wrote it, limits/change_triggers.py) and, from the stored usage
   (limits.ContactUsage) alone, the contacts whose "available from" day has come or whose
   earliest use leaves the window (or stops counting) today; they read only those contacts'
   uses, by index, for the account each counts toward now. No run reads every activity for
   this, except the weekly one that verifies (`verify`): one aggregate over every held activity
   from the first day that counts (of the window, the quarter or the longest rest), grouped by
   contact — a checksum of their uses' days and types — read from the covering index in contact
   order and merged, as it streams by, with the stored usage and the own caps. It finds the same
   contacts, and also a change written while the triggers were off (a restore with triggers
   disabled); it adds the noted contacts too, for an edit a checksum cannot tell (sums that
   cancel out). Both add every contact with an approved request not yet held (a few dozen: a
   request is a use from today);
2. `limits_scope`: them and every contact of their accounts (an account's limit is shared);
3. `limits_uses`: those contacts' uses per day and type (read by index), and `limits_diff`: per
   contact the tightest count limit and the day a slot frees (program limits, stricter rules,
   the contact's own cap per quarter, the account's limit), compared with the stored usage:
   only what differs is kept;
4. `limits_changes` and `limits_moves`, from the differences: who reached a limit, was freed
   from one or came near one; active contacts reaching a limit move to resting, and contacts this
   job rested move back to active when freed — through references.services.contact_moves_apply,
   the one place statuses change: their rows locked in id order, a StatusChange written for each
   (two statements);
5. the narrow usage table takes the differences: one UPDATE ... FROM, one INSERT, one DELETE
   (after a change of the rules, when every row differs, the table is written afresh in contact
   order instead);
6. one summary notification per manager and per account owner concerned.

The hourly run usually judges the few contacts recorded or edited in the hour, and their accounts;
the first run of a day judges the few thousand contacts whose uses left the window or whose rest
ended, and their accounts. Every stored row carries a fingerprint of the activity types, policy,
rules and quarter it was judged by: when they change, when nothing is stored yet, or when the
scope is a large share of the program, step 3 judges every contact instead (`full`). What a run
stores is what judging everyone would store (tested).

Running it twice in a row changes nothing the second time: every write comes from a difference.
Two runs at once take turns on a transaction-level advisory lock (PostgreSQL), and the second
then finds nothing to do. The stored usage holds count limits and rest only; blackout dates and
account health are read live (limits.selectors, limits.services). Besides the contacts with
uses, the job stores those the limits hold back without uses of their own — at an account whose
uses leave fewer free slots than the program allows one contact, or with an own cap of 0 — so a
contact without a stored row has used nothing and has every slot their caps give.

The rules the statements follow are limits.rules', the same limit_check reads. The modules here:
`uses` (what uses a slot, and the checksums), `changed` (steps 1 and 2), `judging` (step 3 and
the statements' parameters), `applying` (steps 4 and 5) and `runner` (the transaction, in order).
"""

from limits.usage.runner import UsageResult, usage_recompute

__all__ = ["UsageResult", "usage_recompute"]
