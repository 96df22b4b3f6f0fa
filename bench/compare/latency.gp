# Latency against load from bench/compare/run.sh's open-loop sweep: gnuplot -e "datafile='...'; outfile='...'" latency.gp
# datafile: one block per hop (direct, nginx proxy, camel-taas, Portkey), lines "offered achieved p50_ms p99_ms".
set terminal pngcairo size 1100,650 font "sans,11" noenhanced
set output outfile
set title "Chat completions, open loop (64 connections): latency against offered load"
set xlabel "offered load (requests/s, log scale)"
set ylabel "latency from the scheduled send time (ms, log scale)"
set logscale xy
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key outside right top
set style line 1 lc rgb "#555555" lw 2 pt 7
set style line 2 lc rgb "#1f77b4" lw 2 pt 5
set style line 3 lc rgb "#d62728" lw 2 pt 9
set style line 4 lc rgb "#2ca02c" lw 2 pt 11
plot datafile index 0 using 1:4 with linespoints ls 1 title "direct p99", \
     datafile index 0 using 1:3 with linespoints ls 1 dt 2 title "direct p50", \
     datafile index 1 using 1:4 with linespoints ls 2 title "nginx proxy p99", \
     datafile index 1 using 1:3 with linespoints ls 2 dt 2 title "nginx proxy p50", \
     datafile index 2 using 1:4 with linespoints ls 3 title "camel-taas p99", \
     datafile index 2 using 1:3 with linespoints ls 3 dt 2 title "camel-taas p50", \
     datafile index 3 using 1:4 with linespoints ls 4 title "Portkey p99", \
     datafile index 3 using 1:3 with linespoints ls 4 dt 2 title "Portkey p50"
