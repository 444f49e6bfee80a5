"""The web application (``expertise serve``): a legal department's lawyers upload a draft, review the
findings of the same engine the CLI uses (:class:`expertise.pipeline.Checker`), and download the
annotated DOCX and the opinion; the registry and the annual report are read from the same database.

Modules: :mod:`.app` (routes, pages), :mod:`.store` (users, organisations, reviews, decisions in
SQLAlchemy tables beside the registry's), :mod:`.security` (passwords, sessions, CSRF),
:mod:`.jobs` (the worker processes that read and check drafts), :mod:`.sniff` (upload type from the
bytes), :mod:`.annual` (the annual report restricted to one organisation).
"""

from __future__ import annotations


def create_app(*args, **kwargs):
    from expertise.web.app import create_app as _create

    return _create(*args, **kwargs)


__all__ = ["create_app"]
