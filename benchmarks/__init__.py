"""Benchmark scripts (not tests); run them as modules from the repository root, e.g.
``.venv/bin/python -m benchmarks.bench_review`` — see benchmarks/README.md."""
