"""The report of ``make bench`` (``bench.py report RESULTS CUSTOMERS INVOICES``): the table of
the measured steps, the OCA/ours ratios and the targets of the benchmark issue, printed and
written to ``RESULTS/latest.json`` and ``RESULTS/<customers>x<invoices>.json``."""

import json
import os
import platform


def _print_table(steps, customers, invoices, cpu):
    print(f"\n{customers} customers / {invoices} invoices on {os.cpu_count()} x {cpu}")
    print(f"{'step':<15}{'stats':<7}{'seconds':>9}{'queries':>9}{'peak MB':>9}  details")
    base = {"step", "statistics", "seconds", "queries", "peak_mb", "rss_before_mb"}
    for s in steps:
        details = ", ".join(f"{k}={v}" for k, v in s.items() if k not in base)
        print(
            f"{s['step']:<15}{s['statistics']:<7}{s['seconds']:>9}{s['queries'] or '-':>9}"
            f"{s['peak_mb'] or '-':>9}  {details}"
        )


def _ratios(by):
    ratios = {}
    for stats in ("stale", "fresh"):
        ours, oca = by.get(("ours", stats)), by.get(("oca", stats))
        if not (ours and oca):
            continue
        ratios[stats] = {
            "time_oca_over_ours": round(oca["seconds"] / max(ours["seconds"], 0.01), 1),
            "queries_oca_over_ours": round(oca["queries"] / max(ours["queries"], 1), 1),
        }
        print(
            f"OCA / ours ({stats}): {ratios[stats]['time_oca_over_ours']}x time, "
            f"{ratios[stats]['queries_oca_over_ours']}x queries"
        )
    return ratios


def _targets(by, ratios, invoices):
    """The targets of the benchmark issue: [(label, reached)]."""
    large = invoices >= 200000
    checks = []
    for stats in ("stale", "fresh"):
        ours = by.get(("ours", stats))
        if ours and not large and stats in ratios:
            checks.append(
                (
                    f"(a) at least 5x faster than OCA ({stats})",
                    ratios[stats]["time_oca_over_ours"] >= 5,
                )
            )
        if ours and large:
            checks.append((f"(a) under 60 s on the large size ({stats})", ours["seconds"] < 60))
            checks.append((f"(a) peak memory under 1 GB ({stats})", ours["peak_mb"] < 1024))
        for step, label, ok in (
            ("credit_check", "(c) under 10 queries", lambda s: s["credit_check_queries"] < 10),
            ("aging", "(d) under 2 s", lambda s: s["seconds"] < 2),
        ):
            if (step, stats) in by:
                checks.append((f"{label} ({stats})", ok(by[step, stats])))
        floor = by.get(("floor", stats))
        if floor:
            print(
                f"ours / floor ({stats}): {floor['ours_over_floor']}x "
                f"({floor['ours_seconds']} s / {floor['seconds']} s, "
                f"{floor['reminders']} reminders)"
            )
            checks.append(
                (f"#32 ours at most 1.5x the floor ({stats})", floor["ours_over_floor"] <= 1.5)
            )
        if ours and not large and stats in ratios:
            checks.append(
                (
                    f"#32 OCA / ours at least 25x ({stats})",
                    ratios[stats]["time_oca_over_ours"] >= 25,
                )
            )
    page = by.get(("statement_page", "as is"))
    if page:
        checks.append(("(e) portal statement page under 1 s", page["seconds"] < 1))
    return checks


def report(results, customers, invoices):
    """Prints the table of the measured steps (``results/steps.jsonl``), the OCA/ours ratios
    and the targets, and writes them with the generated sizes to ``results/latest.json`` and
    ``results/<customers>x<invoices>.json``."""
    with open(os.path.join(results, "steps.jsonl"), encoding="utf-8") as f:
        steps = [json.loads(line) for line in f]
    with open(os.path.join(results, "generate.json"), encoding="utf-8") as f:
        generated = json.load(f)
    by = {(s["step"], s["statistics"]): s for s in steps}
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "?")
    _print_table(steps, customers, invoices, cpu)
    ratios = _ratios(by)
    checks = _targets(by, ratios, invoices)
    for label, ok in checks:
        print(f"{'ok  ' if ok else 'MISS'} {label}")
    summary = {
        "customers": customers,
        "invoices": invoices,
        "machine": {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version()},
        "generate": generated,
        "steps": steps,
        "ratios": ratios,
        "targets": {label: ok for label, ok in checks},
    }
    for name in ("latest.json", f"{customers}x{invoices}.json"):
        with open(os.path.join(results, name), "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1)
