"""Flatten the English ChatterBot corpus (chatterbot-corpus==1.3.3) into one CSV.

Source: the YAML files under chatterbot_corpus/data/english/ in the chatterbot-corpus
1.3.3 wheel (``pip download --no-deps chatterbot-corpus==1.3.3``, then unzip). One row
per conversation: its category (the file's ``categories`` entry), the first utterance as
``question`` and the following utterances joined by a space as ``answer``. Conversations
with a single utterance are dropped. Rows keep the files' order (files sorted by name).

Usage: python data/scripts/make_support_qa.py /path/to/chatterbot_corpus/data/english
"""

import sys
from pathlib import Path

import pandas as pd
import yaml


def main(source: Path, out: Path) -> None:
    rows = []
    for path in sorted(source.glob("*.yml")):
        doc = yaml.safe_load(path.read_text("utf-8"))
        category = doc["categories"][0]
        for turns in doc.get("conversations", []):
            turns = [str(t).strip() for t in turns if t is not None and str(t).strip()]
            if len(turns) < 2:
                continue
            rows.append((category, turns[0], " ".join(turns[1:])))
    table = pd.DataFrame(rows, columns=["category", "question", "answer"])
    table.insert(0, "conversation_id", range(len(table)))
    table.to_csv(out / "support_qa.csv", index=False, lineterminator="\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parents[1])
