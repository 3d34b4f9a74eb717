"""README's benchmark tables are generated from the kept JSON (issue #19 item 9), never typed."""

import json

from benchmarks import report

ROW = {"floor": None, "ratio": None, "target": None, "met": None, "unit": "ms", "user": "-"}


def test_readme_block_is_what_the_kept_json_renders():
    readme = (report.ROOT / "README.md").read_text(encoding="utf-8")
    data = json.loads(report.DEFAULT_JSON.read_text(encoding="utf-8"))
    start, end = readme.index(report.BEGIN), readme.index(report.END) + len(report.END)
    assert readme[start:end] == report.render(data), "run: python -m benchmarks.report"


def test_met_counts_come_from_the_rows():
    rows = [
        {**ROW, "part": "dashboards", "case": "plan", "value": 3.0, "floor": 2.0, "ratio": 1.5, "target": "≤2×",
         "met": True},
        {**ROW, "part": "dashboards", "case": "fuyang", "value": 9.0, "floor": 2.0, "ratio": 4.5, "target": "≤2×",
         "met": False},
        {**ROW, "part": "http", "case": "/healthz (calibration)", "value": 900.0, "unit": "rq/s"},
    ]
    text = report.render({"results": rows})
    assert "**1 of 2 targets met** in this run." in text
    assert "1 of 2 met." in text  # the dashboards part; the calibration row is not judged
    assert "| fuyang | - | 9.0 ms | 2.0 ms | 4.50× | ≤2× | **not met** |" in text
    assert "| /healthz (calibration) | - | 900 req/s |" in text


def test_rewrite_replaces_only_the_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# t\nbefore\n{report.BEGIN}\nold\n{report.END}\nafter\n", encoding="utf-8")
    data = {"results": [{**ROW, "part": "jobs", "case": "sweep daily", "value": 8.0, "unit": "s", "target": "≤10 s",
                         "met": True}]}
    assert report.rewrite(readme, data) is True
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# t\nbefore\n") and text.endswith("\nafter\n") and "old" not in text
    assert "| sweep daily | - | 8.0 s |" in text
    assert report.rewrite(readme, data) is False


def test_every_part_the_benchmark_records_has_a_table():
    """A part missing from PART_TITLES would be measured and silently left out of README."""
    import re

    recorded = set()
    for path in (report.ROOT / "benchmarks").glob("bench_*.py"):
        recorded |= set(re.findall(r'record\(\s*"([\w-]+)"', path.read_text(encoding="utf-8")))
    assert recorded and recorded <= set(report.PART_TITLES), recorded - set(report.PART_TITLES)


def test_the_header_gives_the_runs_cpu_probe_when_it_was_taken():
    """The machine's speed before and after the run (bench_nation.cpu_probe) is printed with the
    run; runs kept before the probe existed render as they did."""
    meta = {"started": "2026-12-01 20:00 UTC", "commit": "abc1234", "cpus": 2, "load_before": "0.5/0.5/0.5",
            "scale_note": "nation scale", "runs": 30, "pg_settings": "work_mem=4MB"}
    rows = [{**ROW, "part": "jobs", "case": "sweep daily", "value": 8.0, "unit": "s"}]
    probed = report.render({"meta": {**meta, "cpu_probe_ms": 5.43, "cpu_probe_after_ms": 7.48}, "results": rows})
    assert "CPU probe (one fixed Python loop, lower is faster): 5.43 ms before the run, 7.48 ms after." in probed
    assert "CPU probe" not in report.render({"meta": meta, "results": rows})


def test_the_cpu_probe_times_python():
    from benchmarks.bench_nation import cpu_probe

    assert 0 < cpu_probe() < 1_000
