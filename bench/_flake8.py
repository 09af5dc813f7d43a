"""flake8 with some plugins hidden: `BENCH_FLAKE8_HIDE=cryptolint python _flake8.py ...`.

flake8 has no switch to turn an installed plugin off (`--select` only
filters what is reported: every plugin still runs), and a second virtual
environment would need the network.  This wrapper drops the plugins of the
named distributions from flake8's own plugin discovery
(`flake8.plugins.finder.find_plugins`) and then runs flake8's normal entry
point, so both the "with" and the "without" runs go through the same code,
in the same environment.  `--version` lists the plugins actually loaded.
Worker processes are forked and inherit the filtered plugin list.
"""

from __future__ import annotations

import os
import sys
from typing import Any, List

from flake8.main.cli import main
from flake8.plugins import finder

HIDDEN = {name.strip() for name in os.environ.get("BENCH_FLAKE8_HIDE", "").split(",") if name.strip()}
_find_plugins = finder.find_plugins


def _visible_plugins(*args: Any, **kwargs: Any) -> List[finder.Plugin]:
    return [plugin for plugin in _find_plugins(*args, **kwargs) if plugin.package not in HIDDEN]


finder.find_plugins = _visible_plugins  # type: ignore[assignment]

if __name__ == "__main__":
    sys.exit(main())
