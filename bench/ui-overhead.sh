#!/usr/bin/env bash
# npm run bench:ui — does the TUI slow a running job? The same first backup (~300 MB of the
# shared clinic dataset at SCALE=0.25) headless and inside the TUI (tmux, live progress at 80x24
# and 200x50), alternating, RUNS times each; compares the engine's own measured duration and the
# CPU time the process spent on it (all threads, the screen's included; less noisy than wall time here).
# Then key latency: while a backup runs in the TUI at 80x24 and 200x50, every view, the help
# overlay and a palette burst are probed (bench/key-latency.ts) and p50/p95 printed per key.
# Needs tmux. Env: RUNS (default 3; 0 measures key latency only), LATENCY_RUNS backups per size (default 3),
# UI_SCALE (default 0.25), BENCH_DIR (default /tmp/sedai-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "bench:ui needs tmux (apt-get install tmux)" >&2; exit 1; }
runs="${RUNS:-3}"
work="${BENCH_DIR:-/tmp/sedai-bench}/ui"
dataset="$(cd .. && pwd)/shared/bench/make-dataset.sh"
mkdir -p "$work"
# UI_SCALE sets a longer job (1 is ~1.2 GB); each scale has its own copy of the data.
export SCALE="${UI_SCALE:-0.25}"
export DATA="$work/data$([ "$SCALE" = 0.25 ] || echo "-$SCALE")"
[ -f "$DATA.meta.json" ] || "$dataset" gen >&2
npm run build --silent

home="$work/home"; pass="$work/pass"
echo 'ui-overhead-passphrase' > "$pass"; chmod 600 "$pass"
mkdir -p "$home"
n=0
repo=""
fresh() {
	# The previous run's repository has been measured: a few hundred MB each, not kept.
	[ -z "$repo" ] || { chattr -R -i "$repo" 2>/dev/null || true; rm -rf "$repo"; }
	n=$((n + 1)); repo="$work/repo-$n"
	chattr -R -i "$repo" 2>/dev/null || true; rm -rf "$repo"
	cat > "$home/settings.json" <<JSON
{"site":"UI overhead","language":"en","sources":["$DATA"],"targets":[{"name":"DISK","kind":"folder","path":"$repo"}],"plans":[],"rotation":[],"scratch":"$work/scratch","passphraseFile":"$pass"}
JSON
	rm -f "$home/state.json"
	# The console keeps its log on disk: an earlier run's "sealed:" line must not end this one.
	rm -rf "$home/log"
	SEDAI_HOME="$home" node dist/cli.js init "$repo" --label DISK --passphrase-file "$pass" --json >/dev/null
	find "$DATA" -type f -print0 | xargs -0 cat >/dev/null
}
duration() {
	SEDAI_HOME="$home" node dist/cli.js generations --repo "$repo" --passphrase-file "$pass" --json \
		| node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const g=s.trim().split("\n").map(JSON.parse).filter(l=>l.type==="generation").pop();console.log(g.durationMs??"")})'
}
# durationMs is in the generation header; the CLI lists it via --json generation records.
# CPU: the process's CPU time (every thread, the screen's included) from the journal's scan phase
# to its end record: the backup's own work, without start-up or opening the repository.
cpu() {
	node -e '
const fs = require("fs"), dir = process.argv[1];
const name = fs.readdirSync(dir).filter(n => n.endsWith("-backup.jsonl")).sort().pop();
const records = fs.readFileSync(`${dir}/${name}`, "utf8").trim().split("\n").map(l => JSON.parse(l));
const scan = records.find(r => r.type === "phase" && r.phase === "scan"), end = records.find(r => r.type === "end");
console.log(end?.cpuMs !== undefined && scan?.cpuMs !== undefined ? end.cpuMs - scan.cpuMs : "");
' "$home/jobs"
}
results="$work/results.txt"; : > "$results"
# A fifo nobody writes to: `read -t` on it is a sleep without starting a process.
rm -f "$work/never"; mkfifo "$work/never"; exec 9<>"$work/never"
headless() {
	fresh
	SEDAI_HOME="$home" node dist/cli.js backup "$DATA" --repo "$repo" --passphrase-file "$pass" --json >/dev/null
	echo "headless $(duration) $(cpu)" | tee -a "$results"
}
# A fresh repository, the console at $1x$2 in tmux, settled; then 2 b starts its backup.
backup_in_tui() {
	fresh
	tmux kill-session -t sedai-ui-bench 2>/dev/null || true
	tmux new-session -d -s sedai-ui-bench -x "$1" -y "$2" "cd $(pwd) && env CI=false LANG=C.UTF-8 SEDAI_HOME=$home node dist/cli.js; sleep 30"
	for _ in $(seq 1 150); do tmux capture-pane -p -t sedai-ui-bench | grep -q 'DISK' && break; sleep 0.1; done
	sleep 3
	tmux send-keys -t sedai-ui-bench 2; sleep 0.5; tmux send-keys -t sedai-ui-bench b
}
in_tui() {
	backup_in_tui "$1" "$2"
	# Wait for the sealed generation on disk with shell builtins only: polling the pane (a tmux
	# client and a grep ten times a second) would itself cost the backup a few percent.
	for _ in $(seq 1 1200); do compgen -G "$repo/generations/*" >/dev/null && break; read -r -t 0.1 -u 9 || true; done
	tmux send-keys -t sedai-ui-bench q; sleep 0.3; tmux send-keys -t sedai-ui-bench y; sleep 1
	tmux kill-session -t sedai-ui-bench 2>/dev/null || true
	echo "tui-${1}x${2} $(duration) $(cpu)" | tee -a "$results"
}
# The order rotates from run to run: this machine drifts over minutes, and a fixed order would
# charge the drift to whichever variant always runs last.
variants=("headless" "in_tui 80 24" "in_tui 200 50")
for run in $(seq 1 "$runs"); do
	for k in 0 1 2; do
		${variants[$(((run - 1 + k) % 3))]}
	done
done
[ "$runs" -gt 0 ] && node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(l => l.split(" "));
const wall = {}, cpu = {};
for (const [k, w, c] of lines) { (wall[k] ??= []).push(Number(w)); (cpu[k] ??= []).push(Number(c)); }
const median = a => { const s = [...a].sort((x, y) => x - y), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const seconds = ms => (ms / 1000).toFixed(2);
const over = (v, base) => `${(((v - base) / base) * 100).toFixed(1)}%`;
for (const k of Object.keys(wall)) {
	const w = median(wall[k]), c = median(cpu[k]);
	const vs = k === "headless" ? "" : `  overhead: wall ${over(w, median(wall.headless))}, CPU ${over(c, median(cpu.headless))}`;
	console.log(`${k.padEnd(12)} wall ${seconds(w)} s  CPU ${seconds(c)} s (medians)${vs}`);
	console.log(`${"".padEnd(12)} wall ${wall[k].map(seconds).join(", ")}  CPU ${cpu[k].map(seconds).join(", ")}`);
}
' "$results"

# Key latency under a running backup.
latency_args=()
for size in "80 24" "200 50"; do
	set -- $size
	samples="$work/latency-${1}x${2}.jsonl"; : > "$samples"
	for _ in $(seq 1 "${LATENCY_RUNS:-3}"); do
		backup_in_tui "$1" "$2"
		for _ in $(seq 1 100); do tmux capture-pane -p -t sedai-ui-bench | grep -q '%' && break; sleep 0.05; done
		npx tsx bench/key-latency.ts sedai-ui-bench "$samples"
		tmux kill-session -t sedai-ui-bench 2>/dev/null || true
	done
	latency_args+=("${1}x${2}=$samples")
done
npx tsx bench/latency-summary.ts "${latency_args[@]}"
