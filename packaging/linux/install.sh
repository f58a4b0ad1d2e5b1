#!/usr/bin/env bash
# Installs the Vakt agent on a Linux PC from a build tree:
#   /usr/bin/vakt                          the binary
#   /etc/vakt/vakt.yaml                    configuration (kept if it already exists)
#   /etc/systemd/system/vakt.service       the unit (Type=notify, hardened)
#   /var/lib/vakt, /var/lib/vakt/quarantine  state and quarantine, 0700 (systemd also creates them)
#   /var/log/vakt                          the JSON-lines event log
#   /usr/share/doc/vakt/vakt.yaml.example  the commented default configuration
#
#   sudo packaging/linux/install.sh build/agent/vakt [--prefix /] [--no-start]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
bin="${1:?usage: install.sh PATH/TO/vakt [--prefix DIR] [--no-start]}"
shift
prefix=/
start=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --no-start) start=0; shift ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
root="${prefix%/}"
install -D -m 0755 "$bin" "$root/usr/bin/vakt"
install -D -m 0644 "$src/service/vakt.service" "$root/etc/systemd/system/vakt.service"
install -D -m 0644 "$here/vakt.yaml" "$root/usr/share/doc/vakt/vakt.yaml.example"
if [ ! -e "$root/etc/vakt/vakt.yaml" ]; then
  install -D -m 0640 "$here/vakt.yaml" "$root/etc/vakt/vakt.yaml"
fi
install -d -m 0700 "$root/var/lib/vakt" "$root/var/lib/vakt/quarantine"
install -d -m 0750 "$root/var/log/vakt"
# Check the configuration before (re)starting: a bad file names the key and line.
if ! "$root/usr/bin/vakt" run --check --config "$root/etc/vakt/vakt.yaml"; then
  echo "install.sh: fix $root/etc/vakt/vakt.yaml before starting vakt.service" >&2
  start=0
fi
if [ "$root" = "" ] && [ "$start" = 1 ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable --now vakt.service
fi
echo "vakt installed under ${root:-/}"
