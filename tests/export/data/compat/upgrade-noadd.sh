#!/usr/bin/env bash
# A ledger begun by 9b894ea (HMAC records), continued and exported by a later build ($1).
set -uo pipefail
later=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
home=$(mktemp -d /tmp/compat-home.XXXX)
export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_CACHE_HOME=$home/.cache \
  XDG_STATE_HOME=$home/.local/state XDG_RUNTIME_DIR=$home/run MEETING_GUARD_HOME=$home/mpg
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
py=/work/main/.venv/bin/python
dbus-run-session -- bash -c '
  echo -n secret | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  old() { (cd /tmp/compat-old-9b894ea && PYTHONPATH=/tmp/compat-old-9b894ea '$py' -m guard "$@"); }
  new() { (cd /tmp/compat-old-'$later' && PYTHONPATH=/tmp/compat-old-'$later' '$py' -m guard "$@"); }
  old consent add --provider zoom --feature meeting-summary --decision given --purpose summary --requested-by host \
     --meeting-title "Weekly sync" --occurred-at 2026-11-20T10:00:00Z > "'$out'/old-add.txt" 2>&1
  old consent add --provider zoom --feature smart-recording --decision refused --occurred-at 2026-11-20T10:05:00Z >> "'$out'/old-add.txt" 2>&1
  new consent verify > "'$out'/new-verify1.txt" 2>&1
  new consent export --format json -o "'$out'/export.json" > "'$out'/export.log" 2>&1
  new consent export --format json --provider zoom --to 2026-11-21 -o "'$out'/export-to.json" >> "'$out'/export.log" 2>&1
  new consent export --format receipts --jurisdiction EU -o "'$out'/receipts" >> "'$out'/export.log" 2>&1
'
