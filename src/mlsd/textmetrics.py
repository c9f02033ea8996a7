"""Generation metrics (guide section 5, pattern 4): BLEU, ROUGE and perplexity.

- **BLEU** (Papineni et al., ACL 2002): the geometric mean of the 1- to 4-gram *precisions*
  of the system's text against references, times a brevity penalty for texts shorter than
  the reference. Computed here with sacrebleu (Post, WMT 2018), the reference
  implementation, so scores are comparable with published ones.
- **ROUGE** (Lin, ACL Workshop 2004): n-gram (ROUGE-N) or longest-common-subsequence
  (ROUGE-L) overlap, reported as recall, precision and F1; recall-oriented, made for
  summaries. Written here in a few lines and checked against Google's ``rouge-score``
  package in the tests (it is not imported at run time: it pulls in NLTK, ~5 s).
- **Perplexity**: how surprised a language model is by held-out text,
  exp(- mean log p(token | history)). A model that spreads its probability evenly over V
  words has perplexity V; lower is better, and only comparable between models with the
  same vocabulary and tokenisation.

All three reward overlap with one reference; for open-ended replies they correlate weakly
with human judgement (Liu et al., "How NOT to evaluate your dialogue system", EMNLP 2016),
which is why production chat systems add human ratings and online metrics.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from mlsd.validation import require_int, require_number

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def rouge_tokens(text: str) -> list[str]:
    """rouge-score's default tokenisation: lower case, non-alphanumerics become spaces."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string; got {text!r}.")
    return _NON_ALNUM.sub(" ", text.lower()).split()


@dataclass(frozen=True)
class Overlap:
    precision: float
    recall: float
    f1: float


def _overlap(matches: int, hyp_len: int, ref_len: int) -> Overlap:
    p = matches / hyp_len if hyp_len else 0.0
    r = matches / ref_len if ref_len else 0.0
    return Overlap(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(hypothesis: str, reference: str, n=1) -> Overlap:
    """ROUGE-N: shared n-grams (clipped counts) over the hypothesis's (precision) and the
    reference's (recall) n-grams."""
    n = require_int("n", n, 1, 9)
    hyp, ref = _ngrams(rouge_tokens(hypothesis), n), _ngrams(rouge_tokens(reference), n)
    matches = sum((hyp & ref).values())
    return _overlap(matches, sum(hyp.values()), sum(ref.values()))


def _lcs_length(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if token == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(hypothesis: str, reference: str) -> Overlap:
    """ROUGE-L: the longest common subsequence over the hypothesis and reference lengths."""
    hyp, ref = rouge_tokens(hypothesis), rouge_tokens(reference)
    return _overlap(_lcs_length(hyp, ref), len(hyp), len(ref))


def bleu(hypotheses, references) -> dict:
    """Corpus BLEU (0-100) of ``hypotheses`` against one reference each, with the parts it
    multiplies: the 1- to 4-gram precisions (%) and the brevity penalty."""
    import sacrebleu

    hyps, refs = [str(h) for h in hypotheses], [str(r) for r in references]
    if len(hyps) != len(refs) or not hyps:
        raise ValueError(
            f"references must give one text per hypothesis ({len(hyps)}); got {len(refs)}."
        )
    score = sacrebleu.corpus_bleu(hyps, [refs])
    return {
        "BLEU": float(score.score),
        **{f"{n}-gram precision (%)": float(p) for n, p in enumerate(score.precisions, 1)},
        "brevity penalty": float(score.bp),
    }


def mean_rouge(hypotheses, references) -> dict:
    """Mean ROUGE-1, ROUGE-2 and ROUGE-L F1 over hypothesis/reference pairs."""
    pairs = list(zip(hypotheses, references, strict=True))
    if not pairs:
        raise ValueError("hypotheses must hold at least one text; got none.")
    return {
        "ROUGE-1 F1": float(np.mean([rouge_n(h, r, 1).f1 for h, r in pairs])),
        "ROUGE-2 F1": float(np.mean([rouge_n(h, r, 2).f1 for h, r in pairs])),
        "ROUGE-L F1": float(np.mean([rouge_l(h, r).f1 for h, r in pairs])),
    }


# ------------------------------------------------------------------------------- perplexity

START, END, UNKNOWN = "<s>", "</s>", "<unk>"


@dataclass
class NgramLM:
    """A unigram (``order=1``) or bigram (``order=2``) language model over word tokens.

    Unigram: add-``k`` smoothing over the vocabulary. Bigram: the maximum-likelihood bigram
    probability interpolated with the unigram one (Jelinek & Mercer 1980), weight
    ``lam``, so an unseen pair is unlikely but never impossible. Words seen fewer than
    ``min_count`` times in training become ``<unk>``, so test text always has a token to
    score (perplexities are comparable only with the same vocabulary).
    """

    order: int = 2
    k: float = 0.1
    lam: float = 0.7
    min_count: int = 2
    vocabulary: set = field(default_factory=set)
    unigrams: Counter = field(default_factory=Counter)
    bigrams: Counter = field(default_factory=Counter)
    contexts: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.order = require_int("order", self.order, 1, 2)
        self.k = require_number("k", self.k, 0, None, low_inclusive=False)
        self.lam = require_number("lam", self.lam, 0, 1, high_inclusive=False)
        self.min_count = require_int("min_count", self.min_count, 1, None)

    def _sentence(self, text: str) -> list[str]:
        words = [w if w in self.vocabulary else UNKNOWN for w in rouge_tokens(text)]
        return [START, *words, END]

    def fit(self, texts) -> NgramLM:
        counts = Counter(w for t in texts for w in rouge_tokens(str(t)))
        self.vocabulary = {w for w, c in counts.items() if c >= self.min_count}
        for text in texts:
            tokens = self._sentence(str(text))
            self.unigrams.update(tokens[1:])  # <s> is given, never predicted
            self.bigrams.update(zip(tokens[:-1], tokens[1:], strict=True))
            self.contexts.update(tokens[:-1])
        return self

    @property
    def size(self) -> int:
        """Tokens the model can predict: the vocabulary, <unk> and </s>."""
        return len(self.vocabulary) + 2

    def unigram_p(self, word: str) -> float:
        total = sum(self.unigrams.values())
        return (self.unigrams[word] + self.k) / (total + self.k * self.size)

    def p(self, word: str, previous: str) -> float:
        if self.order == 1:
            return self.unigram_p(word)
        seen = self.contexts[previous]
        ml = self.bigrams[(previous, word)] / seen if seen else 0.0
        weight = self.lam if seen else 0.0
        return weight * ml + (1 - weight) * self.unigram_p(word)

    def perplexity(self, texts) -> float:
        """exp of the mean negative log-probability per predicted token (words and </s>)."""
        log_sum, n = 0.0, 0
        for text in texts:
            tokens = self._sentence(str(text))
            for previous, word in zip(tokens[:-1], tokens[1:], strict=True):
                log_sum -= math.log(self.p(word, previous))
                n += 1
        if n == 0:
            raise ValueError("texts must hold at least one text; got none.")
        return math.exp(log_sum / n)
