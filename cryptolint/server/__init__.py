"""`cryptolint server`: a Language Server Protocol server over stdio.

Needs the `lsp` extra (`pip install 'cryptolint[lsp]'`, which brings pygls
and lsprotocol).  `linting` holds what the server does with a buffer, on the
CLI's own APIs and without LSP; `protocol` speaks LSP.
"""

from __future__ import annotations

import sys

MISSING = "`cryptolint server` needs the lsp extra: pip install 'cryptolint[lsp]'"


def main() -> int:
    """Serve over stdio; exit 2 when pygls is not installed."""
    try:
        from cryptolint.server.protocol import serve
    except ImportError as exc:
        print(f"cryptolint: error: {MISSING} ({exc})", file=sys.stderr)
        return 2
    return serve()
