#!/usr/bin/env bash
# Provisions a local Docker engine for the smoke-test integration tests (CI and contributors):
#   - installs Debian's docker.io and debootstrap when missing,
#   - installs Debian's docker-compose (v1.29) when neither `docker compose` (v2) nor `docker-compose` is there
#     (the smoke test runs compose services through Docker Compose itself),
#   - starts dockerd without a bridge network (containers use --network none or host),
#   - builds the base image ro-uv-check-test-base:bookworm (python3 + venv) by debootstrap + docker import,
#     skipped when the image already exists.
# Usage: scripts/docker-engine.sh   (idempotent; prints the docker version when ready)
set -euo pipefail

BASE_IMAGE=${RO_UV_CHECK_TEST_BASE:-ro-uv-check-test-base:bookworm}
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi   # GitHub runners
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)        # an engine already there (GitHub runners) is kept
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
# Docker Compose: v2 (the docker CLI plugin, as on GitHub's runners) is kept; else Debian's v1.
if ! docker compose version >/dev/null 2>&1 && ! /usr/bin/docker compose version >/dev/null 2>&1 \
  && ! command -v docker-compose >/dev/null 2>&1; then need+=(docker-compose); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Debian's client matches Debian's daemon; elsewhere the docker on PATH.
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=$(command -v docker); fi

if ! "$DOCKER" info >/dev/null 2>&1; then
  echo "starting dockerd"
  mkdir -p /var/log
  $SUDO nohup dockerd --bridge=none --iptables=false --ip-masq=false >/var/log/ro-uv-check-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    "$DOCKER" info >/dev/null 2>&1 && break
    sleep 1
  done
  "$DOCKER" info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/ro-uv-check-dockerd.log" >&2; tail -20 /var/log/ro-uv-check-dockerd.log >&2; exit 1; }
fi

if ! "$DOCKER" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  echo "building $BASE_IMAGE with debootstrap (about a minute)"
  rootfs=$(mktemp -d /tmp/ro-uv-check-rootfs.XXXXXX)
  $SUDO debootstrap --variant=minbase --include=python3,python3-venv bookworm "$rootfs" >/tmp/ro-uv-check-debootstrap.log 2>&1 \
    || { tail -20 /tmp/ro-uv-check-debootstrap.log >&2; $SUDO rm -rf "$rootfs"; exit 1; }
  $SUDO sh -c 'rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' sh "$rootfs"
  $SUDO tar -C "$rootfs" -c . | "$DOCKER" import - "$BASE_IMAGE" >/dev/null
  $SUDO rm -rf "$rootfs"
fi
"$DOCKER" version --format 'docker engine {{.Server.Version}} ready; base image '"$BASE_IMAGE"
if docker compose version >/dev/null 2>&1; then echo "compose: $(docker compose version --short)"
elif command -v docker-compose >/dev/null 2>&1; then echo "compose: docker-compose $(docker-compose version --short)"; fi
