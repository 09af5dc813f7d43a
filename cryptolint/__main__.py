"""`python -m cryptolint`."""

import sys

from cryptolint.cli import main

if __name__ == "__main__":
    sys.exit(main())
