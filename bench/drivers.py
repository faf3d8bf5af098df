"""Driver analysis on real hotel reviews: do themes about badly rated aspects drive low ratings?

    .venv/bin/python bench/drivers.py                  # writes bench/results/drivers.md
    .venv/bin/python bench/drivers.py --max-chars 300  # shorter texts, faster first run

Data: ``../shared/data/tripadvisor-aspect-ratings-1000`` (1,000 English
TripAdvisor hotel reviews, Li, Ott & Cardie 2013 via jniimi/tripadvisor_dataset)
with an overall star rating and five aspect ratings (cleanliness, value,
location, rooms, sleep_quality), all 1-5. There is no "service" aspect in
this sample.

Star -> NPS-like 0-10 mapping (kept here, not in the library):

    5 stars -> 10 (promoter)   4 -> 8 (passive)   3 -> 6   2 -> 3   1 -> 0 (detractors)

Why: a linear stretch of 1-5 onto 0-10, (stars - 1) * 2.5, puts 5 at 10, 4 at
7.5 and 3 at 5, i.e. promoter / passive / detractor under the usual NPS cut
points (9-10 / 7-8 / 0-6); the mapping above keeps those classes and uses
whole numbers. Counting 3 stars as a detractor matches how NPS treats a
lukewarm answer (TripAdvisor ratings skew high: mean 4.1, and a 3 is a
"meh" stay) and gives 203 detractors instead of 85, enough to test themes.
The stricter reading of the shared README (only 1-2 stars are detractors,
3 -> 7 passive) is run as a sensitivity check on the same themes.

Pipeline: ``cxtext.analyze`` with the default embedding model
(multilingual-e5-small) and default theme discovery on "title. text",
cut to ``--max-chars`` characters (default 500, at a word boundary): the
model reads at most 512 tokens anyway, full reviews embed at ~2 reviews/s on
a busy 2-core machine, and the opening of a review usually states the
verdict. Embeddings are cached in ``bench/cache/`` (gitignored), so reruns
take seconds. The aspect ratings are NOT given to cxtext; they are only used
afterwards to check what the discovered driver themes are about.

Checks (written to bench/results/drivers.md):

1. Driver table: for every theme, its driver rank, NPS, nps_impact (CI),
   detractor lift and q-value, and for each aspect the members' mean rating
   minus the rest's mean (stars); "worst aspect" is the aspect with the most
   negative gap.
2. Per aspect: reviews that rate the aspect 1-2 stars ("aspect complaints");
   the theme where they are most concentrated (lift = complaint rate in the
   theme / rate outside it) and that theme's driver rank.
3. Spearman rank correlation over testable themes between driver priority
   and each aspect gap (negative = themes ranked as stronger drivers have
   members who rate that aspect lower).
4. Sensitivity: Spearman between the priorities under the two star mappings.
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tripadvisor-aspect-ratings-1000" / "tripadvisor_1000.csv"
RESULTS = ROOT / "bench" / "results" / "drivers.md"
CACHE = ROOT / "bench" / "cache" / "drivers-embeddings.sqlite"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

ASPECTS = ("cleanliness", "value", "location", "rooms", "sleep_quality")
STAR_TO_NPS = {5: 10, 4: 8, 3: 6, 2: 3, 1: 0}
STRICT_STAR_TO_NPS = {5: 10, 4: 8, 3: 7, 2: 3, 1: 0}  # only 1-2 stars are detractors
COMPLAINT_MAX = 2  # an aspect rated 1-2 stars is a complaint about it
MIN_COMPLAINT_THEME = 10  # themes smaller than this are not candidates in check 2
DEFAULT_MAX_CHARS = 500


def truncate(text: str, max_chars: int) -> str:
    """``text`` with collapsed whitespace, cut at the last word boundary before ``max_chars``."""
    flat = " ".join(str(text).split())
    if len(flat) <= max_chars:
        return flat
    cut = flat[:max_chars]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def load_reviews(max_chars: int) -> pd.DataFrame:
    reviews = pd.read_csv(DATA)
    stars = reviews["overall"].astype(int)
    frame = pd.DataFrame({
        "review_id": [f"R{i:04d}" for i in range(1, len(reviews) + 1)],
        "comment": [truncate(f"{t}. {x}", max_chars) for t, x in zip(reviews["title"], reviews["text"])],
        "score": stars.map(STAR_TO_NPS).astype(int),
    })
    frame.attrs["stars"] = stars.to_numpy()
    frame.attrs["aspects"] = reviews[list(ASPECTS)].astype(float).reset_index(drop=True)
    frame.attrs["hotel_id"] = reviews["hotel_id"].to_numpy()
    frame.attrs["full_chars"] = (reviews["title"].str.len() + 2 + reviews["text"].str.len()).to_numpy()
    return frame


# --------------------------------------------------------------------------- checks


def aspect_gaps(membership: pd.DataFrame, aspects: pd.DataFrame) -> pd.DataFrame:
    """Per theme and aspect: members' mean rating minus the rest's mean (stars)."""
    rows = {}
    for theme_id in membership.columns:
        member = membership[theme_id].to_numpy()
        rows[theme_id] = {a: aspects.loc[member, a].mean() - aspects.loc[~member, a].mean() for a in ASPECTS}
    return pd.DataFrame.from_dict(rows, orient="index")


def aspect_means(membership: pd.DataFrame, aspects: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame.from_dict(
        {t: aspects.loc[membership[t].to_numpy()].mean() for t in membership.columns}, orient="index")


def complaint_concentration(membership: pd.DataFrame, aspects: pd.DataFrame, drivers: pd.DataFrame) -> pd.DataFrame:
    """For each aspect: where the 1-2 star ratings of it are concentrated."""
    ranks = drivers.set_index("theme_id")["rank"]
    labels = drivers.set_index("theme_id")["label"]
    rows = []
    for aspect in ASPECTS:
        complaint = (aspects[aspect] <= COMPLAINT_MAX).to_numpy()
        best = None
        for theme_id in membership.columns:
            member = membership[theme_id].to_numpy()
            if member.sum() < MIN_COMPLAINT_THEME or (~member).sum() == 0:
                continue
            rate_in, rate_out = complaint[member].mean(), complaint[~member].mean()
            lift = rate_in / rate_out if rate_out > 0 else math.inf
            candidate = (lift, theme_id, rate_in, rate_out, int(complaint[member].sum()), int(member.sum()))
            if best is None or candidate[0] > best[0]:
                best = candidate
        lift, theme_id, rate_in, rate_out, hits, size = best
        share_in_top3 = complaint[membership[drivers["theme_id"].head(3).tolist()].any(axis=1).to_numpy()].sum()
        rows.append({
            "aspect": aspect, "complaints": int(complaint.sum()), "theme_id": theme_id,
            "label": labels[theme_id], "rank": int(ranks[theme_id]), "theme_size": size, "hits": hits,
            "rate_in": rate_in, "rate_out": rate_out, "lift": lift,
            "in_top3": int(share_in_top3),
        })
    return pd.DataFrame(rows)


def spearman_table(drivers: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    testable = drivers.dropna(subset=["priority"]).set_index("theme_id")
    rows = []
    for aspect in (*ASPECTS, "mean of aspects"):
        values = gaps[list(ASPECTS)].mean(axis=1) if aspect == "mean of aspects" else gaps[aspect]
        rho, p_value = stats.spearmanr(testable["priority"], values.loc[testable.index])
        rows.append({"aspect gap": aspect, "rho": rho, "p": p_value, "themes": len(testable)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- markdown


def fmt(value: object, digits: int = 2) -> str:
    if isinstance(value, str):
        return value.replace("|", "/")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if math.isinf(value):
        return "inf"
    return f"{value:+.{digits}f}" if digits and value < 0 else f"{value:.{digits}f}"


def fmt_q(value: float) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.1e}" if value < 1e-3 else f"{value:.3f}"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def driver_rows(drivers: pd.DataFrame, gaps: pd.DataFrame, means: pd.DataFrame, stars: np.ndarray,
                membership: pd.DataFrame, hotels: np.ndarray) -> list[list[str]]:
    rows = []
    for _, d in drivers.iterrows():
        t = d["theme_id"]
        member = membership[t].to_numpy()
        worst = gaps.loc[t].idxmin()
        lowest = means.loc[t].idxmin()
        top_hotel_share = pd.Series(hotels[member]).value_counts(normalize=True).iloc[0]
        rows.append([
            str(d["rank"]), fmt(d["label"]), str(d["n_comments"]), fmt(float(stars[member].mean())),
            fmt(d["nps"], 0), fmt(d["nps_impact"], 1),
            f"[{fmt(d['nps_impact_ci_low'], 1)}, {fmt(d['nps_impact_ci_high'], 1)}]",
            fmt(d["detractor_lift"]), fmt_q(d["lift_q_value"]),
            *[fmt(float(gaps.loc[t, a])) for a in ASPECTS],
            f"{worst} ({fmt(float(gaps.loc[t, worst]))})", f"{lowest} ({means.loc[t, lowest]:.2f})",
            f"{top_hotel_share:.0%}",
        ])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                        help="cut each 'title. text' to this many characters (word boundary)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown results file")
    parser.add_argument("--cache", type=Path, default=CACHE, help="SQLite embedding cache")
    args = parser.parse_args()

    import cxtext
    from cxtext.drivers import driver_table, theme_membership
    from machine import machine_line

    started = time.perf_counter()
    frame = load_reviews(args.max_chars)
    stars, aspects, hotels = frame.attrs["stars"], frame.attrs["aspects"], frame.attrs["hotel_id"]
    truncated = int((frame.attrs["full_chars"] > args.max_chars).sum())
    args.cache.parent.mkdir(parents=True, exist_ok=True)

    analysis_started = time.perf_counter()
    analysis = cxtext.analyze(frame, text="comment", nps="score", id="review_id", cache_path=args.cache, seed=0)
    analysis_seconds = time.perf_counter() - analysis_started

    records = analysis.records.copy()
    if records["id"].astype(str).tolist() != frame["review_id"].tolist():
        raise SystemExit("records are not in input order; cannot join the aspect ratings")
    drivers = analysis.drivers
    theme_ids = drivers["theme_id"].tolist()
    membership = theme_membership(records, theme_ids)
    gaps = aspect_gaps(membership, aspects)
    means = aspect_means(membership, aspects)
    complaints = complaint_concentration(membership, aspects, drivers)
    correlations = spearman_table(drivers, gaps)

    strict_records = records.assign(nps=pd.array(pd.Series(stars).map(STRICT_STAR_TO_NPS), dtype="Int64"))
    strict = driver_table(strict_records, analysis.themes[["theme_id", "label"]],
                          min_test_size=analysis.config.params["drivers"]["min_test_size"])
    both = drivers.set_index("theme_id")[["priority", "rank"]].join(
        strict.set_index("theme_id")[["priority", "rank"]], rsuffix="_strict").dropna()
    rho_mappings = stats.spearmanr(both["priority"], both["priority_strict"])[0]
    wall = time.perf_counter() - started

    summary = analysis.summary
    timings = summary.get("timings_seconds", {})
    cache = summary.get("embedding_cache", {})
    command = "HF_HUB_OFFLINE=1 .venv/bin/python bench/drivers.py" + (
        "" if len(sys.argv) == 1 else " " + shlex.join(sys.argv[1:]))
    text = report(args, analysis, drivers, gaps, means, stars, aspects, membership, hotels, complaints,
                  correlations, strict, rho_mappings, truncated, wall, analysis_seconds, timings, cache, command,
                  machine_line())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"written {args.out}")


def report(args, analysis, drivers, gaps, means, stars, aspects, membership, hotels, complaints, correlations,
           strict, rho_mappings, truncated, wall, analysis_seconds, timings, cache, command, machine) -> str:
    summary = analysis.summary
    overall_nps = summary["nps"]
    n_detractors = int((pd.Series(stars) <= 3).sum())
    top3 = drivers.head(3)
    header = ["rank", "theme (c-TF-IDF label)", "n", "mean stars", "NPS", "nps_impact", "impact 95% CI",
              "det. lift", "q", *[f"Δ {a}" for a in ASPECTS], "worst aspect (Δ)", "lowest mean", "top hotel"]
    lines = [
        "# Driver analysis benchmark: TripAdvisor aspect ratings (1,000 reviews)",
        "",
        f"- Date / machine: {machine}",
        f"- Command: `{command}`",
        f"- Wall time: {wall:.0f} s in total, of which `cxtext.analyze` {analysis_seconds:.0f} s "
        f"(stages: {', '.join(f'{k} {v:.1f} s' for k, v in timings.items())}); "
        f"embedding cache hits {cache.get('hits', 0)}, misses {cache.get('misses', 0)} "
        "(a run with a warm cache skips the embedding).",
        f"- Data: `../shared/data/tripadvisor-aspect-ratings-1000/tripadvisor_1000.csv`, {len(stars)} reviews; "
        f"text = \"title. text\" cut to {args.max_chars} characters at a word boundary "
        f"({truncated} of {len(stars)} reviews were cut; the model reads at most 512 tokens anyway).",
        "- Star → NPS-like score: 5 → 10 (promoter), 4 → 8 (passive), 3 → 6, 2 → 3, 1 → 0 (detractors), "
        "i.e. the classes of a linear stretch (stars − 1) × 2.5; see the script docstring. "
        f"{n_detractors} detractors (1-3 stars); overall NPS {overall_nps['nps']:+.1f} "
        f"(95% CI {overall_nps['ci_low']:+.1f} to {overall_nps['ci_high']:+.1f}).",
        f"- Themes: {summary['theme_count']} discovered by the default pipeline (model {summary['model']}, "
        f"seed 0), {summary['rows_themed']} reviews themed, {summary['rows_unthemed']} unthemed. "
        "The aspect ratings were not given to cxtext.",
        f"- Key-driver model (cxtext's note): {drivers.attrs.get('model_note', '').removeprefix('Key-driver model: ')} "
        "The ranking does not use it: it uses `priority`.",
        "",
        "## 1. Driver table with the members' aspect ratings",
        "",
        "Sorted by cxtext's `priority` (= −upper 95% bound of `nps_impact`: the NPS drag that holds with 95% "
        "confidence). `nps_impact` is in NPS points (negative = pulls overall NPS down). "
        "Δ aspect = members' mean aspect rating − the other reviews' mean, in stars. "
        "'worst aspect' is the most negative Δ; 'lowest mean' the aspect with the lowest mean among members. "
        "'top hotel' is the share of the theme's reviews about its most common hotel. "
        "q is the Benjamini-Hochberg q-value of the detractor lift; – means too small to test (< 10).",
        "",
        markdown_table(header, driver_rows(drivers, gaps, means, stars, membership, hotels)),
        "",
        "## 2. Where the complaints about each aspect are concentrated",
        "",
        f"A complaint is an aspect rated 1-{COMPLAINT_MAX} stars. For each aspect: the theme (of at least "
        f"{MIN_COMPLAINT_THEME} reviews) with the highest complaint lift (rate in the theme / rate outside it) "
        "and its driver rank; 'in top-3 drivers' counts the complaints whose review is in any of the three "
        "top-ranked driver themes.",
        "",
        markdown_table(
            ["aspect", "complaints (1-2 stars)", "most concentrated in theme", "driver rank", "theme size",
             "complaint rate in / out", "lift", "in top-3 drivers"],
            [[r["aspect"], str(r["complaints"]), fmt(r["label"]), str(r["rank"]), str(r["theme_size"]),
              f"{r['rate_in']:.0%} / {r['rate_out']:.0%}", fmt(r["lift"], 1),
              f"{r['in_top3']} ({r['in_top3'] / r['complaints']:.0%})" if r["complaints"] else "0"]
             for _, r in complaints.iterrows()],
        ),
        f"\nThe top-3 driver themes hold {int(membership[top3['theme_id'].tolist()].any(axis=1).sum())} of "
        f"{len(stars)} reviews.",
        "",
        "## 3. Rank correlation: driver priority vs aspect gaps",
        "",
        "Spearman ρ over the themes with a priority (testable themes) between `priority` and each aspect's Δ. "
        "Negative ρ = the stronger a theme ranks as a driver, the lower its members rate that aspect.",
        "",
        markdown_table(["aspect Δ", "Spearman ρ", "p", "themes"],
                       [[r["aspect gap"], fmt(r["rho"]), fmt_q(r["p"]), str(r["themes"])]
                        for _, r in correlations.iterrows()]),
        "",
        "## 4. Sensitivity to the star mapping",
        "",
        "Same themes, drivers recomputed with only 1-2 stars as detractors (3 → 7, passive): "
        f"Spearman ρ between the two priorities = {rho_mappings:.2f}. Top 5 under each mapping:",
        "",
        markdown_table(["rank", "mapping 1-3 stars = detractor (main)", "mapping 1-2 stars = detractor"],
                       [[str(i + 1), fmt(drivers["label"].iloc[i]), fmt(strict["label"].iloc[i])]
                        for i in range(min(5, len(drivers)))]),
        "",
        "## Interpretation",
        "",
        *interpretation(drivers, gaps, complaints, correlations, membership, stars, aspects, hotels),
    ]
    return "\n".join(lines) + "\n"


def interpretation(drivers: pd.DataFrame, gaps: pd.DataFrame, complaints: pd.DataFrame,
                   correlations: pd.DataFrame, membership: pd.DataFrame, stars: np.ndarray,
                   aspects: pd.DataFrame, hotels: np.ndarray) -> list[str]:
    """Statements computed from the numbers above, so they stay true on a rerun."""
    out = []
    significant = drivers[drivers["nps_impact_ci_high"] < 0]
    out.append(f"- {len(significant)} of {len(drivers)} themes have an NPS drag whose 95% CI excludes 0 "
               f"(rank {', '.join(map(str, significant['rank'])) or 'none'}).")
    detractor = stars <= 3
    for _, d in drivers.head(3).iterrows():
        g = gaps.loc[d["theme_id"]]
        member = membership[d["theme_id"]].to_numpy()
        out.append(
            f"- Rank {d['rank']} '{d['label']}' ({member.sum()} reviews, {member.mean():.0%} of all, holding "
            f"{(member & detractor).sum() / detractor.sum():.0%} of the 1-3 star reviews): members rate "
            f"{(g < 0).sum()}/5 aspects below the rest; worst {g.idxmin()} ({g.min():+.2f} stars), "
            f"least affected {g.idxmax()} ({g.max():+.2f}).")
    mean_row = correlations[correlations["aspect gap"] == "mean of aspects"].iloc[0]
    verdict = ("themes ranked as stronger drivers are the ones whose reviewers rate the aspects lower"
               if mean_row["rho"] < 0 and mean_row["p"] < 0.05 else "no clear monotone relation beyond the top theme")
    out.append(f"- Across testable themes, driver priority and the members' mean aspect gap have Spearman "
               f"ρ = {mean_row['rho']:.2f} (p = {fmt_q(mean_row['p'])}): {verdict}. Most themes below rank 2 "
               "have small gaps of either sign, so this ρ rests mainly on the ends of the table.")
    first = drivers["theme_id"].iloc[0]
    dataset_order = aspects.mean().sort_values()
    gap_order = gaps.loc[first].sort_values()
    rho_order = stats.spearmanr(dataset_order.reindex(list(ASPECTS)), gap_order.reindex(list(ASPECTS)))[0]
    out.append(
        "- Worst-rated aspects: over all reviews the aspects rank (lowest mean first) "
        + ", ".join(f"{a} {v:.2f}" for a, v in dataset_order.items())
        + f"; in the top driver '{drivers['label'].iloc[0]}' the gaps rank (most negative first) "
        + ", ".join(f"{a} {v:+.2f}" for a, v in gap_order.items())
        + f" (Spearman ρ between the two orders {rho_order:.2f}, 5 aspects only).")
    top = complaints[complaints["rank"] <= 3]
    out.append(f"- For {len(top)} of {len(complaints)} aspects, the theme where its 1-2 star ratings are most "
               f"concentrated is one of the top-3 drivers ({', '.join(top['aspect']) or 'none'}).")
    overall_rho = {a: stats.spearmanr(stars, aspects[a])[0] for a in ASPECTS}
    low, high = min(overall_rho, key=overall_rho.get), max(overall_rho, key=overall_rho.get)
    top_hotel = max(pd.Series(hotels[membership[t].to_numpy()]).value_counts(normalize=True).iloc[0]
                    for t in membership.columns)
    n_big_negative = int(((drivers["nps"] < 0) & (drivers["n_comments"] >= 0.1 * len(stars))).sum())
    out += [
        f"- What this does not show: the discovered themes are not one-aspect themes. Whole-review embeddings "
        "group reviews mostly by overall sentiment and by city (see the labels); "
        + (f"{n_big_negative} large negative theme(s) (≥10% of reviews, NPS < 0) hold most unhappy reviews, "
           "so the aspect complaints all land in the same top driver rather than in separate 'dirty room' / "
           "'noise' / 'price' themes that could be ranked against each other. "
           if n_big_negative else "")
        + "'Worst aspect' says which aspect that theme's reviewers rate lowest relative to the rest, not that "
        "the theme is only about it.",
        f"- Overall stars and the aspect ratings are strongly correlated (Spearman {overall_rho[low]:.2f} for {low} "
        f"to {overall_rho[high]:.2f} for {high}), so any theme of unhappy reviews rates every aspect low; the "
        "rank correlations above are expected once the driver table finds the unhappy reviews, and are "
        "evidence that it does, not that it separates aspects.",
        f"- Themes are not single hotels: the largest share of one hotel in any theme is {top_hotel:.0%}.",
    ]
    return out


if __name__ == "__main__":
    main()
