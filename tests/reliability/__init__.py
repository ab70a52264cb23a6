"""Reliability under faults and load, against the real server (gunicorn) and a real redis-server."""
