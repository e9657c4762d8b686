"""The procedure catalog: effective-dated lists of procedures allowed (and excluded) for
postal handling under QĐ 45/2016/QĐ-TTg.

One module per step: ``reader`` (files to rows), ``header`` (which column is which), ``rows``
(rows to entries, with problems), ``importer`` (all-or-nothing import), ``diff``, ``publish``
(window rules), ``resolve`` (the list in force at an instant), ``export``, ``history`` and
``edit`` (drafts only). Nothing here knows about terminals; ``postlink.cli.catalog_cmd``
renders results.
"""
