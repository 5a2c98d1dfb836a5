"""Where the server's Python time goes during a load run: py-spy samples the serve process and its workers (only the
thread holding the GIL: Python's CPU, not waiting), and the busiest functions are printed (load_bench.py --profile)."""

from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
_FILE = re.compile(r" \((?:.*/)?([^/]*\.py):\d+\)")


def start(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    """py-spy recording `pid` and its children for `seconds` into `out` (collapsed stacks)."""
    return subprocess.Popen([str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses", "--gil",
                             "--nonblocking", "--rate", "200", "--duration", str(int(seconds) + 2), "--format", "raw",
                             "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summary(out: Path, top: int = 25) -> str:
    """The functions holding the GIL most often: inclusive (with what they call) and on their own."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_FILE.sub(r" (\1)", f) for f in stack.split(";")[1:]]  # the first is the process
        total += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
        if frames:
            own[frames[-1]] += int(count)
    lines = [f"py-spy: {total} samples holding the GIL ({out})", "  inclusive:"]
    lines += [f"  {n / max(total, 1):6.1%}  {f}" for f, n in inclusive.most_common(top)]
    lines += ["  own:"] + [f"  {n / max(total, 1):6.1%}  {f}" for f, n in own.most_common(top)]
    return "\n".join(lines)
