"""Evaluation against data nobody on the team wrote, side by side with peers (not shipped code)."""
