#!/usr/bin/env bash
# Opt-in check of the image with Debian's podman (too slow for npm test: minutes, not seconds). As root:
#   apt-get install -y podman buildah && deploy/docker/try-with-podman.sh
# Builds deploy/docker/Dockerfile (BUILD=0: uses the last build), runs it with /data on a volume, waits for the health check (/readyz), sends a
# delivery with an 8 MiB image, stops it with SIGTERM and checks that it exited cleanly (code 0).
# Where node:20-bookworm-slim cannot be pulled, STANDIN=1 first makes a stand-in under that name from this
# machine's own node, npm and CA bundle (not the real image: Debian's libraries are the host's). Inside a
# container with hybrid cgroups (as where kitbridge is developed) crun refuses to run; RUNTIME=runc (apt-get
# install runc) works. There podman has no systemd to schedule health checks: the script runs the check itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
podman=(podman --storage-driver vfs --cgroup-manager cgroupfs ${RUNTIME:+--runtime "$RUNTIME"})
BASE=docker.io/library/node:20-bookworm-slim
NAME=kitbridge-try-$$
PORT=${PORT:-3987}

if [ "${STANDIN:-0}" = 1 ]; then
  root=$(mktemp -d)
  copy() { for f in "$@"; do cp -L --parents "$f" "$root"; for l in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do cp -L --parents "$l" "$root" 2>/dev/null || true; done; done; }
  copy "$(command -v node)" /bin/sh /usr/bin/env /bin/mkdir /bin/chown
  mkdir -p "$root/usr/lib/node_modules" "$root/usr/etc" "$root/etc/ssl" "$root/tmp" "$root/home/node" "$root/root"
  cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
  cp -aL /etc/ssl/certs "$root/etc/ssl/"
  echo 'cafile=/etc/ssl/certs/ca-certificates.crt' > "$root/usr/etc/npmrc"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\n' > "$root/etc/group"
  chmod 1777 "$root/tmp"; chown 1000:1000 "$root/home/node"
  tar -C "$root" -c . | "${podman[@]}" import - "$BASE" >/dev/null
  rm -rf "$root"
  echo "stand-in $BASE made from $(command -v node) $(node -v)"
fi

[ "${BUILD:-1}" = 0 ] || time "${podman[@]}" build --format docker --network host --isolation chroot -f deploy/docker/Dockerfile -t kitbridge:try .
TOKEN=$(node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))")
"${podman[@]}" volume create "$NAME" >/dev/null
cleanup() { "${podman[@]}" rm -f "$NAME" >/dev/null 2>&1 || true; "${podman[@]}" volume rm -f "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT
# Limits below podman's defaults: in a container, setting RLIMIT_NOFILE or RLIMIT_NPROC to them is refused.
"${podman[@]}" run -d --name "$NAME" --network host --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 -e PORT="$PORT" -e WEBHOOK_TOKENS="$TOKEN" -e MIN_FREE_DISK_BYTES=0 \
  -v "$NAME":/data kitbridge:try >/dev/null
for _ in $(seq 1 90); do "${podman[@]}" healthcheck run "$NAME" >/dev/null 2>&1 && break; sleep 1; done
"${podman[@]}" healthcheck run "$NAME" && echo "health check (/readyz): healthy"
echo "runs as: $("${podman[@]}" exec "$NAME" node -e 'console.log(process.getuid())') (uid)"
node -e "
  const { generateDelivery } = require('./dist/src/cli/generate');
  const body = JSON.stringify(generateDelivery({ teams: 1, unitsPerTeam: 3, imageSide: 1670 }));
  fetch('http://127.0.0.1:$PORT/webhooks/kitbuilder/$TOKEN', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
    .then(async (r) => { console.log('delivery of', (body.length / 1048576).toFixed(1), 'MiB:', r.status, (await r.json()).imageUrl); if (r.status !== 200) process.exit(1); });
"
started=$(date +%s%N)
"${podman[@]}" kill --signal TERM "$NAME" >/dev/null
code=$("${podman[@]}" wait "$NAME")
echo "stopped by SIGTERM in $(( ($(date +%s%N) - started) / 1000000 )) ms, exit code $code"
"${podman[@]}" logs "$NAME" 2>&1 | grep -o '"msg":"[^"]*"' | tail -2
[ "$code" = 0 ]
