"""Benchmark helpers: interleaved timing, the demo data, a description of the machine, results files."""
from __future__ import annotations

import gc
import importlib
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import ROOT

DATA = ROOT / "benchmarks" / "data"  # git-ignored
RESULTS = ROOT / "benchmarks" / "results"
SEED = 7

Run = tuple[Callable[[object], object], Callable[[], object]]


@dataclass
class Timing:
    """Wall and CPU seconds of repeated runs."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def min_wall(self) -> float:
        return min(self.wall)


def cpu_seconds() -> float:
    """User + system CPU seconds of this process so far (all threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def no_setup() -> None:
    """A setup that prepares nothing (for runs that read their own input)."""
    return None


def measure(runs: dict[str, Run], repeat: int) -> dict[str, Timing]:
    """Time every ``run(setup())`` of ``runs`` ``repeat`` times, interleaved, after one untimed warm-up round.

    Interleaving (engine, pandas, engine, pandas, ...) exposes every side to the same moments of a
    shared machine's load; ``setup`` is not timed, and garbage is collected before each run.

    Parameters
    ----------
    runs : name -> (run, setup).
    repeat : timed rounds.

    Returns
    -------
    name -> :class:`Timing` of the ``repeat`` timed runs.
    """
    out = {name: Timing() for name in runs}
    for i in range(repeat + 1):
        for name, (run, setup) in runs.items():
            arg = setup()
            gc.collect()
            c0, w0 = cpu_seconds(), time.perf_counter()
            run(arg)
            w, c = time.perf_counter() - w0, cpu_seconds() - c0
            if i:  # round 0 is the warm-up
                out[name].wall.append(w)
                out[name].cpu.append(c)
    return out


def demo_data(scale: float = 1) -> Path:
    """The demo dataset (seed 7) at ``scale`` in ``benchmarks/data/scale-S``, generated when absent."""
    out = DATA / f"scale-{scale:g}"
    if not (out / "planted.json").exists():
        from liveops_nb.demo import generate

        print(f"generating {out} ...", flush=True)
        generate(out, seed=SEED, scale=scale, progress=True, overwrite=True)
    return out


def machine(packages: Sequence[str] = ()) -> dict[str, str]:
    """The machine the figures come from: CPU, cores, memory, OS, Python and the versions of ``packages``."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")),
                 platform.processor() or "unknown")
    mem_kib = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                    if ln.startswith("MemTotal")), 0)
    info = {"cpu": model, "nproc": str(len(os.sched_getaffinity(0))), "memory": f"{mem_kib / 2**20:.1f} GiB",
            "os": platform.platform(), "python": platform.python_version()}
    info.update({name: importlib.import_module(name).__version__ for name in packages})
    return info


def load_text(load: Sequence[float] | None = None) -> str:
    """The load average (1/5/15 min) as ``"1.62 / 3.69 / 4.32"`` (now, unless given)."""
    return " / ".join(f"{x:.2f}" for x in (os.getloadavg() if load is None else load))


def write_results(name: str, text: str) -> Path:
    """Write ``benchmarks/results/<name>`` and say so."""
    path = RESULTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return path
