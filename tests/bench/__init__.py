"""Benchmarks: each ``bench_<topic>.py`` runs with ``python -m tests.bench.bench_<topic>`` and
prints one JSON object with its figures and the targets its issue names. They are not
collected by pytest and assert nothing about time."""
