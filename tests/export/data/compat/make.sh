#!/usr/bin/env bash
# Usage: make.sh SHA OUTDIR — records a few decisions with the build at SHA and exports every format.
set -uo pipefail
sha=$1; out=$2
tree=/tmp/compat-old-$sha  # git worktree add /tmp/compat-old-SHA SHA
rm -rf "$out"; mkdir -p "$out"
home=$(mktemp -d /tmp/compat-home.XXXX)
export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_CACHE_HOME=$home/.cache \
  XDG_STATE_HOME=$home/.local/state XDG_RUNTIME_DIR=$home/run MEETING_GUARD_HOME=$home/mpg
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
export PYTHONPATH=$tree
py=/work/main/.venv/bin/python
dbus-run-session -- bash -c '
  set -u
  echo -n secret | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  mg() { (cd "'$tree'" && '$py' -m guard "$@"); }
  mg consent add --provider zoom --feature meeting-summary --decision given --purpose summary --requested-by host \
     --meeting-title "Weekly sync" --meeting-id 123456789 --organiser "Ana" --occurred-at 2026-11-20T10:00:00Z --note "ok" --json > "'$out'/add1.json"
  mg consent add --provider zoom --feature smart-recording --decision refused --requested-by host \
     --meeting-title "Weekly sync" --occurred-at 2026-11-20T10:05:00Z > "'$out'/add2.txt"
  mg consent add --provider google-meet --decision notice-only --allow-unknown --meeting-title "Réunion ✓" \
     --occurred-at 2026-11-21T09:00:00Z > "'$out'/add3.txt" 2>&1 || mg consent add --provider google-meet --decision notice-only --meeting-title "Réunion ✓" --occurred-at 2026-11-21T09:00:00Z > "'$out'/add3.txt" 2>&1
  id=$('$py' -c "import json,sys;d=json.load(open(sys.argv[1]));print(d.get(\"id\") or d.get(\"record\",{}).get(\"id\") or d)" "'$out'/add1.json")
  mg consent withdraw "$id" --note "changed my mind" --occurred-at 2026-11-25T12:00:00Z > "'$out'/withdraw.txt" 2>&1
  mg consent add --provider zoom --feature meeting-summary --decision given --purpose summary \
     --occurred-at 2026-11-26T08:00:00Z > "'$out'/add4.txt" 2>&1
  for f in json csv html pdf; do mg consent export --format $f -o "'$out'/export.$f" > "'$out'/export-$f.log" 2>&1; done
  mg consent export --format json --provider zoom -o "'$out'/export-zoom.json" > "'$out'/export-zoom.log" 2>&1
  mg consent export --format json --from 2026-11-21 -o "'$out'/export-from.json" > "'$out'/export-from.log" 2>&1
  mg consent export --format json --to 2026-11-22 -o "'$out'/export-to.json" > "'$out'/export-to.log" 2>&1
  mg consent export --format receipts --jurisdiction EU -o "'$out'/receipts" > "'$out'/export-receipts.log" 2>&1
  mg consent verify > "'$out'/verify.txt" 2>&1
'
echo "home $home"
