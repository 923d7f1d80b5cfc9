"""Score the reference parser field by field and choose, per field, whether the rules or the model decide.

Two development sets, neither used to train the shipped model's weights for the decision they inform:
- held-out bibliography references: a model trained on AnyStyle core + good, tested on AnyStyle gold less
  the references found verbatim in the training files (plain strings, no italics);
- footnote references: the hand-checked citation fixture (tests/fixtures/citations_expected.yaml, the
  committed paper's notes and the style samples, with their italics), parsed by the shipped model.

For each evaluation field (author, title, container, editor, place, publisher, date, volume, pages,
archival note) every policy (rules, model, rules then model, model then rules, rules when they read the whole
reference else model) is scored on both sets; the policy with the best mean F1 wins.

A third, the cross-source split (``--cross-source``), predicts how the parser does on references from a
source it never saw: for each training source (AnyStyle, GROBID, Linked Books) a model is trained on the
other two and tested on it (less references found verbatim in the training files), field by field, with the
rules, the model and the shipped merge policy, and on the archival references among them (those whose answer
has an archive or shelf mark).

    python -m evaluation.reference_scoring                 # print the tables
    python -m evaluation.reference_scoring --write-policy  # also write models/reference-crf/merge-policy.json
    python -m evaluation.reference_scoring --cross-source  # cross-source tables (three trainings)
    python -m evaluation.reference_scoring --cross-source --write-scores  # and write cross-source.json
    python -m evaluation.reference_scoring --within-source --write-scores  # Linked Books halves

A fourth, the within-source split (``--within-source``), trains on the other sources and the first half
of one (Linked Books by default) and tests on its second half: what the shipped model, which has seen all
three sources, does on more references written in a source's conventions (archival ones above all).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evaluation.citation_scoring import expected_by_note, load_fixture, predicted_citations, score
from pipeline.extract import reference_model as rm
from pipeline.extract import reference_training as rt

# Differences in mean F1 below this are not told apart by these sets.
NOISE = 0.01
# Among equal policies: the held-out set has no italics, which handicaps the rules there, and a reading by
# the rules can be traced to a rule; so a complete rule reading is trusted first.
PREFERENCE = ("clean_rules_else_model", "rules_then_model", "rules", "model_then_rules", "model")
TRAINING_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "training" / "references"


def footnote_scores(policy: dict[str, str]) -> dict[str, Any]:
    """Per evaluation field scores on the citation fixture, the fixture's fields grouped as in rm.SCORED."""
    fixture = load_fixture()
    result = score(predicted_citations(fixture, policy), expected_by_note(fixture))
    scores = rt.FieldScores()
    for name, sources in rm.SCORED.items():
        counts = scores.fields[name]
        for source in sources:
            if source in result.fields:
                field = result.fields[source]
                counts.tp, counts.fp, counts.fn = (
                    counts.tp + field.tp,
                    counts.fp + field.fp,
                    counts.fn + field.fn,
                )
    scores_dict = scores.as_dict()
    scores_dict["fixture_overall_f1"] = round(result.overall.f1, 3)
    scores_dict["referring_resolved"] = f"{result.referring_correct}/{result.referring_total}"
    return scores_dict


def choose(heldout: dict[str, Any], footnotes: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Per field, the policy with the best mean F1 over the two sets (a set without answers for the field is
    left out, so that a policy is not judged on one set by one and on two by another).

    Policies within NOISE of the best count as equal (about the 95% interval of an F1 over ~500 values);
    among them the one that trusts a complete reading by the rules first wins (see PREFERENCE).
    """
    chosen = {}
    for name in rm.SCORED:

        def mean_f1(policy: str, name: str = name) -> float:
            values = []
            for scores in (heldout[policy], footnotes[policy]):
                counts = scores[name]
                if counts["tp"] + counts["fn"]:  # the set has answers for the field, whatever the policy
                    values.append(counts["f1"])
            return sum(values) / len(values) if values else 0.0

        best = max(mean_f1(policy) for policy in rm.POLICIES)
        chosen[name] = next(p for p in PREFERENCE if mean_f1(p) >= best - NOISE)
    return chosen


def table(title: str, scores: dict[str, Any]) -> str:
    lines = [title, f"{'field':<16}{'tp':>6}{'fp':>6}{'fn':>6}{'prec':>8}{'recall':>8}{'f1':>8}"]
    for name in [*rm.SCORED, "micro"]:
        c = scores[name]
        lines.append(
            f"{name:<16}{c['tp']:>6}{c['fp']:>6}{c['fn']:>6}{c['precision']:>8.3f}{c['recall']:>8.3f}{c['f1']:>8.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=TRAINING_DIR, help="folder of anystyle-*.xml")
    parser.add_argument("--write-policy", action="store_true", help="write the chosen merge policy")
    parser.add_argument(
        "--dev-model", type=Path, help="a development model already trained on the split (skips training)"
    )
    parser.add_argument("--cross-source", action="store_true", help="train on all sources but one, in turn")
    parser.add_argument(
        "--within-source",
        action="store_true",
        help="like --cross-source, but trained on the first half of the held-out source too, tested on "
        "its second half (default source: linkedbooks)",
    )
    parser.add_argument("--write-scores", action="store_true", help="with --cross-source: write the scores")
    parser.add_argument("--limit", type=int, help="with --cross-source: first N references of each split")
    parser.add_argument(
        "--source",
        action="append",
        choices=list(rt.SOURCES),
        help="with --cross-source: only this held-out source (repeatable; --write-scores updates its entry)",
    )
    args = parser.parse_args(argv)
    if args.cross_source:
        return cross_source_main(args.data, args.write_scores, args.limit, args.source or list(rt.SOURCES))
    if args.within_source:
        sources = args.source or ["linkedbooks"]
        return cross_source_main(args.data, args.write_scores, args.limit, sources, within=True)
    train, test = rt.held_out(args.data)
    with tempfile.TemporaryDirectory() as folder:
        path = args.dev_model or Path(folder) / "dev.crfsuite"
        if args.dev_model is None:
            rm.train(train, path)
        dev_model = rm.ReferenceModel(path)
        heldout = rt.evaluate(dev_model, test)
        footnotes = {policy: footnote_scores(dict.fromkeys(rm.SCORED, policy)) for policy in rm.POLICIES}
        policy = choose(heldout, footnotes)
        combined_footnotes = footnote_scores(policy)
        combined_heldout, outcomes = combined_heldout_scores(dev_model, test, policy)
    print(f"held-out references: {heldout['references']} (AnyStyle gold less verbatim training duplicates)")
    for name in ("rules", "model"):
        print(table(f"\nheld-out, {name} only", heldout[name]))
    print(table("\nheld-out, chosen policy", combined_heldout))
    print("\nheld-out, chosen policy: calibration of parse_confidence\n" + reliability(outcomes))
    for name in ("rules", "model"):
        print(table(f"\nfootnote fixture, {name} only", footnotes[name]))
    print(table("\nfootnote fixture, chosen policy", combined_footnotes))
    print(
        "footnote fixture with the chosen policy: overall F1 (all citation fields) "
        f"{combined_footnotes['fixture_overall_f1']}, "
        f"referring forms {combined_footnotes['referring_resolved']}"
    )
    print("\nchosen policy: " + json.dumps(policy))
    if args.write_policy:
        record = {
            "policy": policy,
            "chosen_by": "evaluation.reference_scoring --write-policy: best mean F1 of the two sets",
            "heldout_f1": {p: {f: heldout[p][f]["f1"] for f in rm.SCORED} for p in rm.POLICIES},
            "footnote_f1": {p: {f: footnotes[p][f]["f1"] for f in rm.SCORED} for p in rm.POLICIES},
        }
        rm.write_info(rm.MERGE_POLICY, record)
        print(f"wrote {rm.MERGE_POLICY}")
    return 0


CROSS_SOURCE_SCORES = rm.MODEL_DIR / "cross-source.json"
WITHIN_SOURCE_SCORES = rm.MODEL_DIR / "within-source.json"
ARCHIVAL_FIELDS = ("archive", "shelfmark")


def cross_source(data: Path, source: str, limit: int | None = None, within: bool = False) -> dict[str, Any]:
    """Scores on one held-out source of a model trained on the other sources (CPU seconds of training too);
    within: trained on the other sources and the first half of this one, tested on its second half."""
    train, test = rt.within_source(data, source) if within else rt.cross_source(data, source)
    if limit is not None:
        train, test = train[:limit], test[: max(1, limit // 4)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cross.crfsuite"
        started = time.process_time()
        rm.train(train, path)
        training_cpu = time.process_time() - started
        model = rm.ReferenceModel(path)
        by_policy = rt.evaluate(model, test)
        # The committed policy as written (the shipped model beside it may be trained on other features).
        policy = (
            json.loads(rm.MERGE_POLICY.read_text(encoding="utf-8"))["policy"]
            if rm.MERGE_POLICY.exists()
            else {}
        )
        policy = {name: policy.get(name, "clean_rules_else_model") for name in rm.SCORED}
        chosen, _ = combined_heldout_scores(model, test, policy)
        archival = [r for r in test if set(rt.evaluation_values(rt.gold_fields(r))) & set(ARCHIVAL_FIELDS)]
        archival_chosen, _ = combined_heldout_scores(model, archival, policy) if archival else ({}, [])
    return {
        "train_references": len(train),
        "test_references": len(test),
        "training_cpu_seconds": round(training_cpu, 1),
        "rules": by_policy["rules"],
        "model": by_policy["model"],
        "chosen_policy": chosen,
        "archival_references": len(archival),
        "archival_chosen_policy": archival_chosen,
    }


def cross_source_main(
    data: Path, write: bool, limit: int | None, sources: list[str], within: bool = False
) -> int:
    results = {}
    for source in sources:
        result = results[source] = cross_source(data, source, limit, within)
        print(
            f"\n=== held out: {source}{' (second half)' if within else ''} ({result['test_references']} "
            f"references; trained on {result['train_references']} of the other sources"
            f"{' and its first half' if within else ''} in {result['training_cpu_seconds']} CPU s)"
        )
        print(table(f"{source}, model only", result["model"]))
        print(table(f"\n{source}, shipped merge policy", result["chosen_policy"]))
        if result["archival_references"]:
            print(
                table(
                    f"\n{source}, archival references ({result['archival_references']})",
                    result["archival_chosen_policy"],
                )
            )
    print(
        "\nsummary (micro F1)\n"
        + f"{'held-out source':<16}{'refs':>6}{'rules':>8}{'model':>8}{'policy':>8}{'archival':>10}"
    )
    for source, result in results.items():
        archival = result["archival_chosen_policy"].get("micro", {}).get("f1", float("nan"))
        print(
            f"{source:<16}{result['test_references']:>6}{result['rules']['micro']['f1']:>8.3f}"
            f"{result['model']['micro']['f1']:>8.3f}{result['chosen_policy']['micro']['f1']:>8.3f}{archival:>10.3f}"
        )
    if write:
        record = {
            "what": "train on every source but one, test on that one "
            "(python -m evaluation.reference_scoring --cross-source)",
            "feature_set_version": rm.FEATURE_SET_VERSION,
            "training_params": rm.TRAINING_PARAMS,
            "sources": results,
        }
        path = WITHIN_SOURCE_SCORES if within else CROSS_SOURCE_SCORES
        if within:
            record["what"] = (
                "train on the other sources and the first half of one, test on its second half "
                "(python -m evaluation.reference_scoring --within-source)"
            )
        elif path.exists() and set(sources) != set(rt.SOURCES):
            earlier = json.loads(path.read_text(encoding="utf-8"))
            if earlier.get("feature_set_version") == rm.FEATURE_SET_VERSION:
                record["sources"] = {**earlier["sources"], **results}
        rm.write_info(path, record)
        print(f"wrote {path}")
    return 0


def combined_heldout_scores(
    model: rm.ReferenceModel, references: list[rm.LabelledReference], policy: dict[str, str]
) -> tuple[dict[str, Any], list[tuple[float, bool]]]:
    """Held-out scores when each field follows the chosen policy, and per reference (parse_confidence,
    whether every evaluation field of it came out right)."""
    from pipeline.extract.citations import parse_confidence, read_reference

    gold = [rt.gold_fields(reference) for reference in references]
    parses = [read_reference(r.text, [], model=model, policy=policy) for r in references]
    scores = rt.FieldScores()
    rt.score(gold, [parsed.values for parsed in parses], scores)
    outcomes = [
        (parse_confidence(parsed), rt.evaluation_values(parsed.values) == rt.evaluation_values(want))
        for parsed, want in zip(parses, gold, strict=True)
    ]
    return scores.as_dict(), outcomes


def reliability(outcomes: list[tuple[float, bool]]) -> str:
    """How often a reference is entirely right, by band of parse_confidence (calibration)."""
    bands = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]
    lines = [f"{'parse_confidence':<18}{'references':>11}{'all fields right':>18}"]
    for low, high in bands:
        inside = [right for confidence, right in outcomes if low <= confidence < high]
        if inside:
            share = sum(inside) / len(inside)
            lines.append(f"{f'{low:.2f}-{min(high, 1):.2f}':<18}{len(inside):>11}{share:>18.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
