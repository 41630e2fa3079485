"""The one exception tree of the project.

Every error the project raises on purpose derives from :class:`KGError`, so callers (the CLI,
the HTTP API's single exception handler) can catch one type and map subclasses to exit codes
or HTTP statuses. Third-party errors are wrapped with ``raise ... from e`` so the cause stays
visible in logs while the message stays ours.

::

    KGError
    ├── ConfigError              bad or missing settings
    ├── InputError               bad user input (files, parameters, gold sets)
    │   ├── ArticleError         an article cannot be read (binary, empty, too large, not UTF-8)
    │   ├── FetchError           a URL or feed cannot be fetched
    │   └── QueryError           a query is malformed, writes in read mode, or is refused
    ├── NotFoundError            an id (entity, relation, article) does not exist
    ├── StoreError               the graph store failed
    │   └── StoreUnavailableError  the store cannot be reached (server down)
    ├── ExtractionError          the NLP pipeline failed on an input
    └── ServerError              provisioning or running the local Neo4j server failed
"""

from __future__ import annotations


class KGError(Exception):
    """Root of every error the project raises on purpose."""


class ConfigError(KGError):
    """Settings are missing or invalid."""


class InputError(KGError):
    """User input is invalid."""


class ArticleError(InputError):
    """An article cannot be read or parsed into text."""


class FetchError(InputError):
    """A URL or feed could not be fetched."""


class QueryError(InputError):
    """A query is malformed, tries to write in read-only mode, or is refused."""


class NotFoundError(KGError):
    """An entity, relation or article id does not exist."""


class StoreError(KGError):
    """The graph store failed."""


class StoreUnavailableError(StoreError):
    """The graph store cannot be reached."""


class ExtractionError(KGError):
    """The extraction pipeline failed on an input."""


class ServerError(KGError):
    """Provisioning, starting or stopping the local Neo4j server failed."""
