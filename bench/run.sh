#!/usr/bin/env bash
# npm run bench: Sedai side by side with restic and borg on the same generated clinic dataset and
# on a generated tree of 200,000 small files (BENCH_SMALL_FILES=N to change, 0 to skip).
# Env: SCALE (dataset size, default 1 = ~1.2 GB), BENCH_DIR (work folder, default /tmp/sedai-bench),
#      BENCH_DROP_CACHES=1 to drop the page cache before every timed command (root only).
set -euo pipefail
cd "$(dirname "$0")/.."
export SCALE="${SCALE:-1}"
export BENCH_DIR="${BENCH_DIR:-/tmp/sedai-bench}"
dataset="$(cd .. && pwd)/shared/bench/make-dataset.sh"
[ -x "$dataset" ] || { echo "bench: $dataset not found (../shared must sit beside this checkout)" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1; }
if ! need restic || ! [ -x /usr/bin/time ]; then
	if [ "$(id -u)" = 0 ] && need apt-get; then
		echo "bench: installing restic, borg and GNU time with apt-get" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq restic borgbackup time >/dev/null
	else
		echo "bench: restic and /usr/bin/time are needed (apt-get install restic time)" >&2
		exit 1
	fi
fi

mkdir -p "$BENCH_DIR"
export DATA="$BENCH_DIR/data"
meta="$DATA.meta.json"
if ! [ -f "$meta" ] || ! grep -q "\"scale\": $SCALE[,}]" "$meta" || ! grep -q '"generation": 0' "$meta"; then
	echo "bench: generating the dataset (SCALE=$SCALE) in $DATA" >&2
	"$dataset" gen >&2
fi

npm run build --silent
exec node --import tsx bench/compare.ts "$dataset"
