"""What every check shares: scopes and names, values, and API knowledge."""
