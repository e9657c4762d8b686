"""One router per audience; each declares its role check and CSRF check once, for all of
its routes: ``auth`` (public: login), ``pages``, ``reports`` and ``desk`` (staff),
``admin_*`` (admins), ``api`` (bearer tokens) and ``webhook`` (the post's signature)."""
