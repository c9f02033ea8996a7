"""Wrong answers for section 6 (trade-offs); see the package docstring."""

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "choose-model": [
        (
            "returns None (prints instead of returning)",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        print("simple")
""",
        ),
        (
            "off-by-one boundary: <= 50 and <= 200",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms <= 50:
        return "simple"
    if latency_budget_ms <= 200:
        return "optimised_complex" if accuracy_requirement_pct > 90 else "medium"
    return "cached_batch" if cost_budget == "low" else "most_accurate"
""",
        ),
        (
            ">= 90 instead of > 90",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        return "simple"
    if latency_budget_ms < 200:
        return "optimised_complex" if accuracy_requirement_pct >= 90 else "medium"
    return "cached_batch" if cost_budget == "low" else "most_accurate"
""",
        ),
        (
            "cost ignored",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        return "simple"
    if latency_budget_ms < 200:
        return "optimised_complex" if accuracy_requirement_pct > 90 else "medium"
    return "most_accurate"
""",
        ),
        (
            "only the hidden 199.9 ms boundary wrong (< 199)",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        return "simple"
    if latency_budget_ms < 199:
        return "optimised_complex" if accuracy_requirement_pct > 90 else "medium"
    return "cached_batch" if cost_budget == "low" else "most_accurate"
""",
        ),
    ],
    "classify-scenarios": [
        (
            "returns None",
            """
def classify_scenarios():
    answers = {"card-fraud": "real-time"}
""",
        ),
        (
            "everything real-time",
            """
def classify_scenarios():
    ids = ["card-fraud", "weekly-churn-report", "home-feed", "ad-auction", "newsletter",
           "login-risk", "playlist-continuation"]
    return {i: "real-time" for i in ids}
""",
        ),
        (
            "hybrid cases called batch",
            """
def classify_scenarios():
    return {
        "card-fraud": "real-time", "weekly-churn-report": "batch", "home-feed": "batch",
        "ad-auction": "real-time", "newsletter": "batch", "login-risk": "real-time",
        "playlist-continuation": "batch",
    }
""",
        ),
        (
            "one scenario missing",
            """
def classify_scenarios():
    return {
        "card-fraud": "real-time", "weekly-churn-report": "batch", "home-feed": "hybrid",
        "ad-auction": "real-time", "newsletter": "batch", "login-risk": "real-time",
    }
""",
        ),
    ],
    "pick-model": [
        (
            "returns None (forgot to return the name)",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table[latency_col] <= latency_budget_ms]
    best = within.sort_values("accuracy_pct").iloc[-1]["model"] if len(within) else None
""",
        ),
        (
            "off-by-one boundary: < budget instead of <=",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table[latency_col] < latency_budget_ms]
    if within.empty:
        return None
    ranked = within.sort_values(["accuracy_pct", latency_col], ascending=[False, True])
    return ranked["model"].iloc[0]
""",
        ),
        (
            "always judges by p99, ignoring latency_col",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table["p99_ms"] <= latency_budget_ms]
    if within.empty:
        return None
    ranked = within.sort_values(["accuracy_pct", "p99_ms"], ascending=[False, True])
    return ranked["model"].iloc[0]
""",
        ),
        (
            "picks the fastest model that fits",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table[latency_col] <= latency_budget_ms]
    if within.empty:
        return None
    return within.sort_values(latency_col)["model"].iloc[0]
""",
        ),
        (
            "ties go to the first row (idxmax), not the faster model",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table[latency_col] <= latency_budget_ms]
    if within.empty:
        return None
    return within.loc[within["accuracy_pct"].idxmax(), "model"]
""",
        ),
    ],
    "model-budget": [
        (
            "returns None (prints the answer)",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    print(slo_ms - network_ms - offline_ms - online_ms)
""",
        ),
        (
            "forgets the network",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = max(offline_ms, online_ms) if parallel_features else offline_ms + online_ms
    return slo_ms - features
""",
        ),
        (
            "sums the feature stages even when they run in parallel",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    return slo_ms - network_ms - offline_ms - online_ms
""",
        ),
        (
            "clamps at 0 instead of reporting the overrun (boundary)",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = max(offline_ms, online_ms) if parallel_features else offline_ms + online_ms
    return max(0, slo_ms - network_ms - features)
""",
        ),
    ],
    "bandit-epsilon-greedy": [
        (
            "returns None (computes the arms but never returns them)",
            """
def epsilon_greedy(counts, sums, t, rng, epsilon=0.1):
    runs, k = counts.shape
    averages = sums / np.maximum(counts, 1)
    arms = np.where(rng.random(runs) < epsilon, rng.integers(0, k, size=runs),
                    np.argmax(averages, axis=1))
""",
        ),
        (
            "explores with probability 1 - epsilon (comparison the wrong way round)",
            """
def epsilon_greedy(counts, sums, t, rng, epsilon=0.1):
    runs, k = counts.shape
    averages = sums / np.maximum(counts, 1)
    explore = rng.random(runs) > epsilon
    return np.where(explore, rng.integers(0, k, size=runs), np.argmax(averages, axis=1))
""",
        ),
        (
            "off-by-one boundary: random arm from rng.integers(0, K - 1) never picks the last arm",
            """
def epsilon_greedy(counts, sums, t, rng, epsilon=0.1):
    runs, k = counts.shape
    averages = sums / np.maximum(counts, 1)
    explore = rng.random(runs) < epsilon
    return np.where(explore, rng.integers(0, k - 1, size=runs), np.argmax(averages, axis=1))
""",
        ),
        (
            "greedy on total reward (sums) instead of the average",
            """
def epsilon_greedy(counts, sums, t, rng, epsilon=0.1):
    runs, k = counts.shape
    explore = rng.random(runs) < epsilon
    return np.where(explore, rng.integers(0, k, size=runs), np.argmax(sums, axis=1))
""",
        ),
    ],
    "bandit-ucb1": [
        (
            "returns None",
            """
def ucb1(counts, sums, t, rng, confidence=2.0):
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = sums / counts + np.sqrt(confidence * np.log(t) / counts)
    scores[counts == 0] = np.inf
""",
        ),
        (
            "no untried-arms-first rule (0/0 left as nan)",
            """
def ucb1(counts, sums, t, rng, confidence=2.0):
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = sums / counts + np.sqrt(confidence * np.log(t) / counts)
    return np.argmax(np.nan_to_num(scores, nan=0.0, posinf=0.0), axis=1)
""",
        ),
        (
            "ln of the arm's own count instead of ln t",
            """
def ucb1(counts, sums, t, rng, confidence=2.0):
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = sums / counts + np.sqrt(confidence * np.log(counts) / counts)
    scores[counts == 0] = np.inf
    return np.argmax(scores, axis=1)
""",
        ),
        (
            "off by one: scores only arms 0 .. K-2, so the last arm is never tried",
            """
def ucb1(counts, sums, t, rng, confidence=2.0):
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = sums / counts + np.sqrt(confidence * np.log(t) / counts)
    scores[counts == 0] = np.inf
    return np.argmax(scores[:, :-1], axis=1)
""",
        ),
    ],
    "bandit-thompson": [
        (
            "returns None",
            """
def thompson(counts, sums, t, rng):
    samples = rng.beta(1 + sums, 1 + counts - sums)
""",
        ),
        (
            "off by one: Beta(successes, failures) without the +1 prior",
            """
def thompson(counts, sums, t, rng):
    samples = rng.beta(np.maximum(sums, 1e-9), np.maximum(counts - sums, 1e-9))
    return np.argmax(samples, axis=1)
""",
        ),
        (
            "posterior mean, no sampling",
            """
def thompson(counts, sums, t, rng):
    return np.argmax((1 + sums) / (2 + counts), axis=1)
""",
        ),
        (
            "successes and failures swapped",
            """
def thompson(counts, sums, t, rng):
    samples = rng.beta(1 + counts - sums, 1 + sums)
    return np.argmax(samples, axis=1)
""",
        ),
    ],
}
