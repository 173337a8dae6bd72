#!/bin/sh
set -e
# The image was synced at build time: never re-sync at start.
exec uv run --no-sync "$@"
