"""Extraction: article text to resolved, typed triples with provenance.

Public interface (other packages depend only on this):

    from kg.extract import Extractor
    extractor = Extractor()                     # loads the spaCy model named by settings, lazily
    result = extractor.extract(article)         # -> kg.model.ArticleExtraction
    for result in extractor.extract_many(articles, workers=2): ...
"""

from kg.extract.pipeline import Extractor

__all__ = ["Extractor"]
