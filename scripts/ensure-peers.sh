#!/usr/bin/env bash
# Installs and starts what the tests talk to. Missing peers are installed, never skipped.
set -euo pipefail

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v sipp >/dev/null || need+=(sip-tester)
command -v baresip >/dev/null || need+=(baresip)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v sox >/dev/null || need+=(sox)
command -v opusdec >/dev/null || need+=(opus-tools)
command -v turnserver >/dev/null || need+=(coturn)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test peers: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then echo "need root to apt-get install ${need[*]}" >&2; exit 1; fi
  # Two test runs on one machine may both find peers missing: the second waits for the
  # first's apt-get instead of failing on dpkg's lock.
  exec 9>/tmp/callsight-ensure-peers.lock
  flock 9
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
  flock -u 9
fi

# Postgres and NATS JetStream run on development and CI machines; start them if they stopped.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 5432 && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! port_open 4222 && [ -x /usr/sbin/nats-server ]; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  sleep 1
fi
for p in 5432 4222; do
  port_open "$p" || { echo "nothing listens on 127.0.0.1:$p (Postgres 5432, NATS 4222): the integration tests need it" >&2; exit 1; }
done
