"""The rules of a leg: what a postal leg is and how it moves, whatever asks.

Here live the status vocabulary (``status.LegStatus``), the lifecycle fold, the working-day
calendar, the deadline policy (TT 17/2017 art. 7), judging a leg against the procedure list
in force (QĐ 45/2016 art. 18), handover recording and filing time (art. 7 cl. 4), and the one
ingest that the pull, the backfill, the quarantine replay and the webhook all call.

What does not belong here: scheduling, leases and runs (``sync/``), HTTP to the post (the
adapters in ``postal/``, reached only through the adapter interface passed in), reading and
rendering reports (``reports/``) and presentation (``web/``, ``cli/``). ``tests/test_layers.py``
keeps these boundaries.
"""
