"""NLP (guide section 5, pattern 4): classify short texts with TF-IDF and a linear model.

Pipeline: text -> tokenisation (lower-case word tokens) -> embedding (a sparse TF-IDF
vector; a transformer would give a dense one) -> model and task head (a linear SVM: one
score per category, the highest wins) -> output. The texts are the English ChatterBot
corpus conversations; the label is the conversation's category. Only categories with
enough examples are kept.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from mlsd.validation import require_int

TOKEN = re.compile(r"[a-z0-9']+")


def tokenise(text: str) -> list[str]:
    """Lower-case word tokens, the first stage of the pipeline."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string; got {text!r}.")
    return TOKEN.findall(text.lower())


def labelled_texts(qa: pd.DataFrame, min_examples=20) -> pd.DataFrame:
    """Question and answer as one text, with its category; rare categories dropped."""
    min_examples = require_int("min_examples", min_examples, 2, None)
    counts = qa["category"].value_counts()
    keep = counts[counts >= min_examples].index
    table = qa[qa["category"].isin(keep)]
    return pd.DataFrame(
        {"text": table["question"] + " " + table["answer"], "label": table["category"]}
    ).reset_index(drop=True)


def make_pipeline(C=1.0) -> Pipeline:
    return Pipeline(
        [
            (
                "embed",
                TfidfVectorizer(
                    tokenizer=tokenise,
                    token_pattern=None,
                    ngram_range=(1, 1),
                    sublinear_tf=True,
                    min_df=1,
                ),
            ),
            ("head", LinearSVC(C=C, class_weight="balanced")),
        ]
    )


def train_and_score(texts: pd.DataFrame, seed=0, C=1.0):
    """Fit on a stratified 75% and score on the rest: (pipeline, metrics, test frame)."""
    X_tr, X_te, y_tr, y_te = train_test_split(
        texts["text"], texts["label"], test_size=0.25, random_state=seed, stratify=texts["label"]
    )
    model = make_pipeline(C).fit(X_tr, y_tr)
    pred = model.predict(X_te)
    majority = y_tr.value_counts().idxmax()
    metrics = {
        "accuracy": float(accuracy_score(y_te, pred)),
        "macro F1": float(f1_score(y_te, pred, average="macro")),
        "weighted F1": float(f1_score(y_te, pred, average="weighted")),
        "majority-class accuracy": float(np.mean(y_te == majority)),
    }
    test = pd.DataFrame({"text": X_te, "label": y_te, "predicted": pred})
    return model, metrics, test


def nearest_question_replies(qa: pd.DataFrame, query_rows) -> list[str]:
    """A retrieval auto-reply: answer each query with the answer of the most similar *other*
    question (TF-IDF cosine over the questions), the way the ChatterBot library replies.

    The query's own conversation is excluded, and so is every conversation whose question or
    answer is word-for-word the query's (the corpus repeats some conversations across its
    files): a reply copied from a duplicate would score a perfect BLEU and teach nothing.
    """
    query_rows = np.asarray(query_rows, dtype=int)
    vectoriser = TfidfVectorizer(tokenizer=tokenise, token_pattern=None, sublinear_tf=True)
    questions = vectoriser.fit_transform(qa["question"])
    similarity = (questions[query_rows] @ questions.T).toarray()
    questions_text, answers_text = qa["question"].to_numpy(), qa["answer"].to_numpy()
    duplicate = (questions_text[query_rows][:, None] == questions_text[None, :]) | (
        answers_text[query_rows][:, None] == answers_text[None, :]
    )
    similarity[duplicate] = -np.inf  # includes each query's own row
    nearest = np.argmax(similarity, axis=1)
    return qa["answer"].iloc[nearest].tolist()
