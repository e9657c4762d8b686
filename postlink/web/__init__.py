"""The web console for staff and admins, the inbound JSON API and the postal webhook (issue 7).

One module per concern: ``accounts`` (passwords, users, API tokens), ``secret`` (the
session signing key), ``throttle`` (login throttling), ``security`` (sessions, CSRF, role
checks, headers), ``templating`` (Jinja2, Vietnamese formatting), ``queries`` (what the
pages read), ``webhook`` (verify, then apply through the sync path), and ``routes/`` with one
router per audience: staff pages, admin pages, the API and the webhook. ``app.create_app``
puts them together. The rules themselves stay in ``catalog``, ``sync`` and ``reports``.
"""
