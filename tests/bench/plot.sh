#!/bin/bash
# tests/bench/plot.sh DIR: draw a bench run's results (DIR/out.log, and the
# failover-IMPL-ROUND.log ping logs the guest leaves) with gnuplot:
#   DIR/bench-ratios.svg    ours / in-tree for every row with a ratio
#                           (1.0 is parity; make bench's table has the figures)
#   DIR/bench-failover.svg  each reply's round-trip time around the cut of
#                           the active link (active-backup, miimon 100,
#                           1 kHz ping), in-tree above ours, from the last
#                           round (BENCH_PLOT_FROM/_TO: the ms shown, -200/600)
set -euo pipefail
dir=$1
command -v gnuplot >/dev/null || { echo "plot: no gnuplot (tests/vm/deps.sh installs it)" >&2; exit 1; }
[ -s "$dir/out.log" ] || { echo "plot: no $dir/out.log" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The pps rows: a 40-column label, then in-tree, ours, the ratio and ours
# against the limit (the timing rows, lower is better, have no limit).
awk '{ label = substr($0, 1, 40); n = split(substr($0, 41), f, " ")
	if (n == 4 && f[3] ~ /^[0-9.]+$/ && f[1] ~ /^[0-9]+$/) {
		sub(/ +$/, "", label); gsub(/"/, "", label)
		printf "\"%s\" %s\n", label, f[3] } }' "$dir/out.log" >"$tmp/ratios"
if [ -s "$tmp/ratios" ]; then
	rows=$(wc -l <"$tmp/ratios")
	gnuplot <<-GP
		set terminal svg size 900,$((120 + 22 * rows)) font "sans,11" background "white"
		set output "$dir/bench-ratios.svg"
		set title "pktgen pps, ours / in-tree (medians; above 1: ours is faster)"
		set style fill solid 0.8 border -1
		set yrange [$rows - 0.5:-0.5]
		set xrange [0:*]
		set ytics scale 0
		set grid xtics
		set key off
		set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 dt 2 lc rgb "black"
		plot "$tmp/ratios" using (\$2 / 2):0:(\$2 / 2):(0.35):yticlabels(1) \
			with boxxyerror lc rgb "#3a7dc9", \
			"" using 2:0:(sprintf("%.2f", \$2)) with labels left offset 0.5,0
	GP
	echo "plot: $dir/bench-ratios.svg"
fi

# The timeline: ms since the cut, and each reply's RTT, in the window shown.
from=${BENCH_PLOT_FROM:--200} to=${BENCH_PLOT_TO:-600}
n=0
for impl in intree ours; do
	log=$(ls "$dir"/failover-"$impl"-*.log 2>/dev/null | sort -V | tail -1)
	[ -n "$log" ] || continue
	awk -v from="$from" -v to="$to" 'NR == 1 && $1 == "cut" { cut = $2; next }
		/bytes from/ { t = substr($1, 2, length($1) - 2); rtt = $0
			sub(/.*time=/, "", rtt); sub(/ ms.*/, "", rtt); ms = (t - cut) * 1000
			if (ms >= from && ms <= to) printf "%.1f %s\n", ms, rtt }' "$log" >"$tmp/$impl"
	[ -s "$tmp/$impl" ] && n=$((n + 1))
done
if [ "$n" -gt 0 ]; then
	# one panel each, the same axes: the gap without replies is the outage
	{
		echo "set terminal svg size 900,$((140 + 220 * n)) font \"sans,11\" background \"white\""
		echo "set output \"$dir/bench-failover.svg\""
		echo "set multiplot layout $n,1 title \"active-backup, miimon 100: 1 kHz ping, the active link cut at 0 ms\""
		echo "set xrange [$from:$to]"
		echo "set logscale y"
		echo "set grid"
		echo "set key top right"
		echo "set ylabel \"round-trip time, ms\""
		echo "set arrow from 0, graph 0 to 0, graph 1 nohead lw 1 dt 2 lc rgb \"black\""
		for impl in intree ours; do
			[ -s "$tmp/$impl" ] || continue
			[ "$impl" = ours ] && color='#3a7dc9' name=ours || color='#c0392b' name=in-tree
			[ "$impl" = ours ] && echo 'set xlabel "ms since the cut"'
			echo "plot \"$tmp/$impl\" using 1:2 with points pt 7 ps 0.4 lc rgb \"$color\" title \"$name\""
		done
		echo "unset multiplot"
	} | gnuplot
	echo "plot: $dir/bench-failover.svg"
fi
