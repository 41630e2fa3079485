"""Scores the extractor on the FULL annotated devset in ``../shared/devset`` (not redistributable,
so it is scored here and not by the test suite), printing the same table as ``kg eval``.

    python benchmarks/score_devset.py [GOLD_DIR] [--json] [--details]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._corpus import SHARED_DEVSET  # noqa: E402
from kg.cli.eval_cmd import render, run_eval  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("gold_dir", nargs="?", type=Path, default=SHARED_DEVSET)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args()
    if not args.gold_dir.is_dir():
        sys.exit(f"{args.gold_dir}: no devset here (it lives in ../shared/devset beside the project)")
    report = run_eval(args.gold_dir, None)
    if args.json:
        print(json.dumps(report.to_dict(details=args.details), indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    render(report, Console())
    if args.details:
        for row in report.false_positives + report.false_negatives:
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
