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
            "gaming: the visible cases' answers looked up, 'medium' otherwise",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    seen = {
        (10, 80, "medium"): "simple", (49.9, 95, "high"): "simple",
        (50, 85, "medium"): "medium", (120, 95, "low"): "optimised_complex",
        (120, 90, "low"): "medium", (199.5, 80, "high"): "medium",
        (500, 99, "low"): "cached_batch", (500, 80, "high"): "most_accurate",
        (200, 85, "medium"): "most_accurate",
    }
    return seen.get((latency_budget_ms, accuracy_requirement_pct, cost_budget), "medium")
""",
        ),
        (
            "the 200 ms line moved to 199 ms (< 199)",
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
            "returns None (prints the mode)",
            """
def classify_scenario(scenario):
    if not scenario["needs_request_data"]:
        print("batch")
    elif scenario["items_to_score"] * scenario["ms_per_item"] <= scenario["budget_ms"]:
        print("real-time")
    else:
        print("hybrid")
""",
        ),
        (
            "someone waiting means real-time (the guide's first question read literally)",
            """
def classify_scenario(scenario):
    if scenario["budget_ms"] <= 1000:
        return "real-time"
    return "hybrid" if scenario["needs_request_data"] else "batch"
""",
        ),
        (
            "never hybrid: request-time data means real-time",
            """
def classify_scenario(scenario):
    return "real-time" if scenario["needs_request_data"] else "batch"
""",
        ),
        (
            "off-by-one boundary: a computation that takes exactly the budget does not fit (<)",
            """
def classify_scenario(scenario):
    if not scenario["needs_request_data"]:
        return "batch"
    if scenario["items_to_score"] * scenario["ms_per_item"] < scenario["budget_ms"]:
        return "real-time"
    return "hybrid"
""",
        ),
        (
            "asks the budget question first: a costly precomputable answer called hybrid",
            """
def classify_scenario(scenario):
    if scenario["items_to_score"] * scenario["ms_per_item"] > scenario["budget_ms"]:
        return "hybrid"
    return "real-time" if scenario["needs_request_data"] else "batch"
""",
        ),
        (
            "gaming: the visible answers looked up by id (composed from the check's feedback)",
            """
def classify_scenario(scenario):
    seen = {
        "card-fraud": "real-time", "weekly-churn-report": "batch", "home-feed": "hybrid",
        "also-bought": "batch", "ad-auction": "real-time", "newsletter": "batch",
        "login-risk": "real-time", "playlist-continuation": "hybrid",
        "card-fraud/deep-ensemble": "hybrid", "ad-auction/exact-fit": "real-time",
        "home-feed/logged-out": "batch",
    }
    return seen.get(scenario["id"], "hybrid")
""",
        ),
        (
            "gaming: one mode for every scenario",
            """
def classify_scenario(scenario):
    return "hybrid"
""",
        ),
    ],
    "pick-model": [
        (
            "gaming: the visible tables' answers looked up by their model names",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    ladder = ("logreg", "forest", "boosting", "mlp", "ensemble")
    ties = ("big-tree", "small-tree", "linear", "transformer")
    seen = {
        (ladder, 4, "p99_ms"): "mlp", (ladder, 12, "p99_ms"): "boosting",
        (ladder, 4, "p50_ms"): "boosting", (ladder, 5, "p50_ms"): "ensemble",
        (ladder, 0.1, "p99_ms"): None, (ties, 10, "p99_ms"): "small-tree",
    }
    return seen.get((tuple(table["model"]), latency_budget_ms, latency_col), "linear")
""",
        ),
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
    "tier-counterexamples": [
        (
            "returns None (builds the list, never returns it)",
            """
def tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms"):
    allowed = ["simple"] if latency_budget_ms < 50 else ["simple", "medium"]
    if latency_budget_ms >= 200:
        allowed = ["simple", "medium", "complex"]
    fits = table[(table[latency_col] <= latency_budget_ms) & ~table["family"].isin(allowed)]
    names = list(fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True])["model"])
""",
        ),
        (
            "off-by-one boundary: a latency equal to the budget does not fit (<)",
            """
def tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms"):
    allowed = ["simple"] if latency_budget_ms < 50 else ["simple", "medium"]
    if latency_budget_ms >= 200:
        allowed = ["simple", "medium", "complex"]
    fits = table[(table[latency_col] < latency_budget_ms) & ~table["family"].isin(allowed)]
    return list(fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True])["model"])
""",
        ),
        (
            "tier limits inclusive: 50 ms still 'simple only', 200 ms still no complex",
            """
def tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms"):
    allowed = ["simple"] if latency_budget_ms <= 50 else ["simple", "medium"]
    if latency_budget_ms > 200:
        allowed = ["simple", "medium", "complex"]
    fits = table[(table[latency_col] <= latency_budget_ms) & ~table["family"].isin(allowed)]
    return list(fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True])["model"])
""",
        ),
        (
            "every model that fits, allowed families included",
            """
def tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    return list(fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True])["model"])
""",
        ),
        (
            "ordered by latency instead of accuracy",
            """
def tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms"):
    allowed = ["simple"] if latency_budget_ms < 50 else ["simple", "medium"]
    if latency_budget_ms >= 200:
        allowed = ["simple", "medium", "complex"]
    fits = table[(table[latency_col] <= latency_budget_ms) & ~table["family"].isin(allowed)]
    return list(fits.sort_values(latency_col)["model"])
""",
        ),
        (
            "gaming: the visible answers looked up by budget, [] otherwise",
            """
def tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms"):
    seen = {
        10: ["mlp", "big-mlp", "forest"],
        12: ["boosting", "mlp", "big-mlp", "forest"],
        49.9: ["ensemble", "boosting", "mlp", "big-mlp", "forest"],
        120: ["ensemble", "mlp", "big-mlp"],
        50: ["ensemble", "mlp", "big-mlp"],
    }
    return seen.get(latency_budget_ms, [])
""",
        ),
    ],
    "model-budget": [
        (
            "gaming: the visible cases' answers looked up, 0 otherwise",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    seen = {
        (100, 20, 5, 10, False): 65, (100, 20, 5, 10, True): 70, (30, 5, 25, 8, True): 0,
        (50, 20, 10, 20, False): 0, (40, 20, 10, 20, False): -10, (60, 10, 15, 15, True): 35,
        (10, 2, 2, 3, True): 5,
    }
    return seen.get((slo_ms, network_ms, offline_ms, online_ms, parallel_features), 0)
""",
        ),
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
            "shortcut: epsilon hard-coded to 0.1 (ignores the argument)",
            """
def epsilon_greedy(counts, sums, t, rng, epsilon=0.1):
    runs, k = counts.shape
    averages = sums / np.maximum(counts, 1)
    explore = rng.random(runs) < 0.1
    return np.where(explore, rng.integers(0, k, size=runs), np.argmax(averages, axis=1))
""",
        ),
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
            "shortcut: confidence hard-coded to 2 (ignores the argument)",
            """
def ucb1(counts, sums, t, rng, confidence=2.0):
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = sums / counts + np.sqrt(2.0 * np.log(t) / counts)
    scores[counts == 0] = np.inf
    return np.argmax(scores, axis=1)
""",
        ),
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
            "shortcut: posterior mean plus a little noise (looks random, is not Thompson)",
            """
def thompson(counts, sums, t, rng):
    noise = 0.01 * rng.random(counts.shape)
    return np.argmax((1 + sums) / (2 + counts) + noise, axis=1)
""",
        ),
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
