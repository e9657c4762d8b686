"""The postal sandbox: a real HTTP server that speaks the post's dialects (issue 4, brief §5).

``world`` derives a seeded world of any size, ``post`` holds what clients changed,
``faults`` injects failures, ``server`` serves a dialect plus the ``/_sandbox/*`` control
endpoints, and ``control`` is the client tests and benchmarks use for those endpoints.
"""
