"""One module per rule; `cryptolint.registry` finds them by walking this package."""
