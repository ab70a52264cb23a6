"""``flask --app wsgi keys ...``: create, list and revoke API keys."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from api.keys import SCOPES, KeyRequestError, get_keys
from api.store import StoreUnavailable

keys_cli = AppGroup("keys", help="Create, list and revoke API keys.")


@keys_cli.command("create")
@click.option("--name", required=True, help="Who the key is for, e.g. moodle-plugin (unique).")
@click.option(
    "--scope",
    "scopes",
    required=True,
    multiple=True,
    type=click.Choice(SCOPES),
    help="check: use the checker; stats: read statistics. Repeat for both.",
)
@click.option("--limit", default=None, help='Rate limit, e.g. "600/minute" (default: KEY_RATE_LIMIT).')
def create(name: str, scopes: tuple[str, ...], limit: str | None) -> None:
    """Create a key and print it once, as the last line."""
    try:
        secret = get_keys().create(name, scopes, limit)
    except KeyRequestError as error:
        raise click.UsageError(str(error)) from error
    except StoreUnavailable as error:
        raise click.ClickException(f"Cannot reach the key store: {error}") from error
    click.echo(f"Created key {name!r} (scopes: {', '.join(scopes)}; limit: {limit or 'KEY_RATE_LIMIT'}).")
    click.echo("Copy it now: only its hash is stored, so it cannot be shown again.")
    click.echo(secret)


@keys_cli.command("list")
def list_keys() -> None:
    """List the keys (never the keys themselves: they are not stored)."""
    keys = get_keys().list()
    if not keys:
        click.echo("No API keys.")
        return
    click.echo(f"{'NAME':<32} {'SCOPES':<12} {'LIMIT':<20} CREATED")
    for key in keys:
        click.echo(f"{key.name:<32} {','.join(key.scopes):<12} {key.limit or '(default)':<20} {key.created}")


@keys_cli.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke a key by name: it stops working at once."""
    if not get_keys().revoke(name):
        raise click.ClickException(f"No key named {name!r}.")
    click.echo(f"Revoked key {name!r}.")
