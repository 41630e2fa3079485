"""Article sources: text files (``text``), HTML (``html``), JSON Lines (``jsonl``), RSS/Atom feeds
(``feeds``), bounded HTTP fetching (``fetch``), and ``detect``, which turns command-line arguments
into lazily loaded sources for ``kg ingest``.
"""
