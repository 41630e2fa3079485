"""Extraction speed: the whole extractor against spaCy's own ``nlp.pipe`` on the same texts, in one run.

Prints words/s for both and their ratio (target ≥ 0.8: our work on top of the parse stays small),
and peak memory, for 1 and 2 workers (or those given with --workers). Ratios, not absolute times,
are what to compare between runs: the machine is shared and noisy.

    python benchmarks/bench_extract.py [--min-words 40000] [--workers 1 --workers 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._corpus import sample_articles  # noqa: E402
from kg.extract import Extractor  # noqa: E402


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-words", type=int, default=40_000)
    ap.add_argument("--workers", type=int, action="append")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    workers = args.workers or [1, 2]

    articles = sample_articles(args.min_words)
    words = sum(len(a.body.split()) for a in articles)
    extractor = Extractor()
    nlp = extractor.nlp
    texts = [a.body for a in articles]
    list(nlp.pipe(texts[:2]))  # warm-up: model loaded, caches filled
    list(extractor.extract_many(articles[:2]))

    print(f"corpus: {len(articles)} articles, {words} words")
    print(f"{'workers':>7} {'spaCy w/s':>11} {'extract w/s':>12} {'ratio':>6} {'triples':>8} {'peak MB':>8}")
    for n in workers:
        # Alternate the two measurements and keep each one's best of --repeat runs, so that load
        # from other processes on this shared machine biases neither side.
        t_spacy = t_ours = float("inf")
        triples = 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=16, n_process=n):
                pass
            t_spacy = min(t_spacy, time.perf_counter() - t0)
            t0 = time.perf_counter()
            triples = sum(len(r.triples) for r in extractor.extract_many(articles, workers=n))
            t_ours = min(t_ours, time.perf_counter() - t0)
        ws, wo = words / t_spacy, words / t_ours
        print(f"{n:>7} {ws:>11.0f} {wo:>12.0f} {wo / ws:>6.2f} {triples:>8} {_peak_mb():>8.0f}")

if __name__ == "__main__":
    main()
