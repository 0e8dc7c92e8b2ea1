#!/usr/bin/env bash
# Runs the Deployment's pod (deployment.yaml) with `podman kube play` from the image the Dockerfile builds, and checks
# that it answers /readyz and reads a note with the manifest's security settings in force: non-root, read-only root
# filesystem, nothing writable. Rootful podman, set up as ../shared/tools/container-smoke.sh sets it up (it builds the
# image first when there is none: .ci/run runs that script just before this one, so the image is the tree's own).
#
#   bash deploy/kubernetes/kube-play-smoke.sh          (from the project root; PORT=3990 by default, loopback only)
#
# What differs from the manifest, so that it runs on one machine without a registry: the local image with
# imagePullPolicy Never, one pod, the host's network with the server on 127.0.0.1:$PORT, and a name of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
W=${W:-/tmp/container-smoke}            # podman's configuration and storage, shared with container-smoke.sh
IMAGE=${IMAGE:-localhost/app:ci}        # the tag container-smoke.sh builds
PORT=${PORT:-3990}
NAME=scrawl-kube-smoke
SMOKE_PHOTO=fixtures/notes/05_quote.jpg

if [ ! -f "$W/conf/storage.conf" ]; then bash ../shared/tools/container-smoke.sh . 3000 /readyz; fi
export CONTAINERS_STORAGE_CONF=$W/conf/storage.conf CONTAINERS_REGISTRIES_CONF=$W/conf/registries.conf \
  CONTAINERS_CONF=$W/conf/containers.conf
podman image exists "$IMAGE" || bash ../shared/tools/container-smoke.sh . 3000 /readyz

# The variant of the Deployment that podman runs here.
VARIANT=$W/kube-play-deployment.yaml
node --input-type=module - "$IMAGE" "$PORT" "$NAME" > "$VARIANT" <<'JS'
import { readFileSync } from 'node:fs'
import { parse, stringify } from 'yaml'
const [image, port, name] = process.argv.slice(2)
const deployment = parse(readFileSync('deploy/kubernetes/deployment.yaml', 'utf8'))
deployment.metadata.name = name
deployment.spec.replicas = 1
const pod = deployment.spec.template.spec
pod.hostNetwork = true
const container = pod.containers[0]
Object.assign(container, { image, imagePullPolicy: 'Never' })
container.env.push({ name: 'HOST', value: '127.0.0.1' }, { name: 'PORT', value: port })
// On the host's network podman maps no ports: drop them, and give the probes the port by number.
delete container.ports
for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) container[probe].httpGet.port = Number(port)
process.stdout.write(stringify(deployment))
JS

down() { podman kube down "$VARIANT" >/dev/null 2>&1 || true; }
down   # a pod left over from an interrupted run
trap 'down; rm -f "$VARIANT" "$W/kube-play-big.png"' EXIT
podman kube play "$VARIANT" 2> >(grep -v systemd >&2)
CONTAINER=$(podman ps --filter "pod=$NAME-pod-0" --format '{{.Names}}' | grep -v infra | head -n 1)
CONTAINER=${CONTAINER:-$(podman ps --format '{{.Names}} {{.PodName}}' | awk -v n="$NAME" '$2 ~ n && $1 !~ /infra/ {print $1; exit}')}
[ -n "$CONTAINER" ] || { echo "kube play started no container"; podman ps -a; exit 1; }
echo "pod container: $CONTAINER"

for i in $(seq 1 60); do curl -fs -m 2 "http://127.0.0.1:$PORT/readyz" && echo && break; sleep 1; done \
  || { echo "no /readyz in 60 s"; podman logs "$CONTAINER"; exit 1; }

[ "$(podman exec "$CONTAINER" id -u)" = 1000 ] || { echo "not running as uid 1000"; exit 1; }
[ "$(podman inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$CONTAINER")" = true ] || { echo "root filesystem is writable"; exit 1; }
if podman exec "$CONTAINER" sh -c 'touch /tmp/probe || touch /app/probe || touch "$HOME/probe"' 2>/dev/null; then
  echo "something is writable"; exit 1
fi
echo "uid 1000, read-only root, nothing writable"
echo "limits as podman applied them: $(podman inspect -f '{{.HostConfig.NanoCpus}} nano-CPUs, {{.HostConfig.Memory}} bytes' "$CONTAINER")"

text=$(curl -fsS -m 60 -H 'Content-Type: image/jpeg' --data-binary "@$SMOKE_PHOTO" "http://127.0.0.1:$PORT/ocr?format=text")
echo "$text"
grep -q 'THE BEST WAY OUT' <<<"$text" || { echo "unexpected reading"; exit 1; }
# A 49-megapixel PNG (7000 × 7000), near MAX_INPUT_PIXELS' default: decoded in memory, nothing spilled to disk.
node -e "require('sharp')({ create: { width: 7000, height: 7000, channels: 3, background: '#fff' } })
  .composite([{ input: '$SMOKE_PHOTO', left: 3000, top: 3000 }]).png({ compressionLevel: 1 }).toFile('$W/kube-play-big.png')"
status=$(curl -sS -m 120 -o /dev/null -w '%{http_code}' -H 'Content-Type: image/png' --data-binary "@$W/kube-play-big.png" \
  "http://127.0.0.1:$PORT/ocr?format=text")
[ "$status" = 200 ] || { echo "49 MP PNG answered $status"; podman logs --tail 20 "$CONTAINER"; exit 1; }
echo "49 MP PNG read (200) with nothing writable"
# Nothing tried to write: onnxruntime would say so when its telemetry store cannot be written.
if podman logs "$CONTAINER" 2>&1 | grep -i 'telemetry'; then echo "onnxruntime telemetry is on"; exit 1; fi
echo "KUBE PLAY OK"
