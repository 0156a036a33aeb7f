#!/usr/bin/env bash
# Webhook load benchmark: the real admission server (HTTPS, real rules, fixed cluster) against a
# do-nothing Vert.x HTTPS handler answering the same bytes, with Debian's wrk posting a 4 KB GPU pod
# AdmissionReview to each in alternation, at 64 and at 8 connections. A third server, the real HTTP
# layer with a reviewer that returns the fixed answer, shows how the cost splits between the layer and
# the admission rules. Loopback only. Prints a table of median throughput and latency per server and the
# ratios the goals are stated in, and writes it to bench-results/webhook/webhook.md.
#
# Environment: DURATION (seconds per run, default 10), ROUNDS (alternating rounds per connection
# count, default 3), WARMUP (least seconds of warm-up per server, default 20; it goes on in 5 s steps
# until the JIT compilers are nearly idle, at most WARMUP_MAX, default 120), SERVERS (default "real baseline layer";
# add "worker" for the real server with reviews on the worker pool instead of the event loop), LOOPS (event loops per server, default the
# CPU count), THREADS (wrk threads, default 2), MVN_FLAGS (e.g. -o to build offline), SKIP_BUILD=1 to
# reuse the last build, GPUQ_BENCH_OUT (default bench-results).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${GPUQ_BENCH_OUT:-$root/bench-results}/webhook
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
warmup=${WARMUP:-20}
warmup_max=${WARMUP_MAX:-120}
loops=${LOOPS:-$(nproc)}
threads=${THREADS:-2}
read -r -a servers <<< "${SERVERS:-real baseline layer}"
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
    echo "run.sh: installing Debian's wrk" >&2
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
fi

cd "$root"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    echo "run.sh: building the webhook module and its test classes" >&2
    # Built in the reactor, so the webhook's own modules come from their target folders and nothing is
    # installed into the local repository; the last module written, the webhook, leaves its classpath.
    mvn -q ${MVN_FLAGS:-} -pl webhook -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$out/classpath" >/dev/null
fi

rm -f "$out/ports"
java -Xms512m -Xmx512m -cp "webhook/target/test-classes:webhook/target/classes:$(cat "$out/classpath")" \
    io.gpuq.webhook.bench.WebhookBenchServers "$out" bench/webhook/pod-review.json "$loops" \
    > "$out/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    [[ -s $out/ports ]] && break
    kill -0 $server_pid 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
    sleep 0.5
done
[[ -s $out/ports ]] || { echo "run.sh: servers did not start; see $out/server.log" >&2; exit 1; }
real_port=$(sed -n 's/^real=//p' "$out/ports")
base_port=$(sed -n 's/^baseline=//p' "$out/ports")
layer_port=$(sed -n 's/^layer=//p' "$out/ports")
worker_port=$(sed -n 's/^worker=//p' "$out/ports")
port_of() {
    case $1 in
        real) echo "$real_port" ;;
        baseline) echo "$base_port" ;;
        layer) echo "$layer_port" ;;
        worker) echo "$worker_port" ;;
        *) echo "run.sh: unknown server '$1' in SERVERS" >&2; exit 2 ;;
    esac
}
metrics_port=$(sed -n 's/^metrics=//p' "$out/ports")
body_bytes=$(sed -n 's/^bodyBytes=//p' "$out/ports")
answer_bytes=$(sed -n 's/^answerBytes=//p' "$out/ports")
export GPUQ_BENCH_BODY=$out/body.json

# One wrk run; prints "rps p50_ms p99_ms socket_errors non2xx requests".
run_wrk() {
    local port=$1 conns=$2 seconds=$3
    local t=$(( conns < threads ? conns : threads ))
    wrk -t"$t" -c"$conns" -d"${seconds}s" --timeout 10s -s bench/webhook/post.lua \
        "https://localhost:$port/mutate--v1-pod" \
        | sed -n 's/^RESULT requests=\([0-9]*\) rps=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\) socket_errors=\([0-9]*\) non2xx=\([0-9]*\)$/\2 \3 \4 \5 \6 \1/p'
}

# CPU ticks the servers' JVM has used so far. Only one server is under load at a time, so the ticks a
# run adds are that server's cost (its share of JIT and GC included), apart from wrk's.
jvm_ticks() {
    awk '{print $14 + $15}' "/proc/$server_pid/stat"
}
clock_ticks=$(getconf CLK_TCK)

# CPU ticks (1/100 s) the JVM's JIT compiler threads have used so far.
jit_ticks() {
    local total=0 task
    for task in /proc/$server_pid/task/*; do
        if [[ $(cat "$task/comm" 2>/dev/null) == C[12]\ CompilerThre* ]]; then
            total=$(( total + $(awk '{print $14 + $15}' "$task/stat" 2>/dev/null || echo 0) ))
        fi
    done
    echo "$total"
}

# The JIT needs a while on the rules' code paths, longer on a busy machine; a webhook runs for days, so
# steady state is what counts. Each server is loaded for at least WARMUP seconds and then until its
# compilers used under 5% of a core over the last 5 s (at most WARMUP_MAX seconds).
warmed=()
for server in "${servers[@]}"; do
    run_wrk "$(port_of "$server")" 64 "$warmup" >/dev/null
    spent=$warmup
    while (( spent < warmup_max )); do
        before=$(jit_ticks)
        run_wrk "$(port_of "$server")" 64 5 >/dev/null
        spent=$(( spent + 5 ))
        (( $(jit_ticks) - before < 25 )) && break
    done
    warmed+=("$server ${spent} s")
    echo "run.sh: warmed up $server in $spent s" >&2
done

results=$out/runs.txt
: > "$results"
for conns in 64 8; do
    for round in $(seq 1 "$rounds"); do
        # Alternate the order between rounds so that drift in the machine's load hits every server alike.
        order=("${servers[@]}")
        if (( round % 2 == 0 )); then
            order=()
            for (( i=${#servers[@]}-1; i>=0; i-- )); do order+=("${servers[$i]}"); done
        fi
        for server in "${order[@]}"; do
            before=$(jvm_ticks)
            line=$(run_wrk "$(port_of "$server")" "$conns" "$duration")
            ticks=$(( $(jvm_ticks) - before ))
            # Fields: connections server round rps p50 p99 socket_errors non2xx cpu_us_per_request.
            cpu=$(awk -v l="$line" -v t="$ticks" -v hz="$clock_ticks" 'BEGIN {
                split(l, f, " "); printf "%.1f", (f[6] > 0 ? t * 1e6 / hz / f[6] : 0) }')
            echo "$conns $server $round ${line% *} $cpu" | tee -a "$results" >&2
        done
    done
done

median() { sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
field() { awk -v c="$1" -v s="$2" -v f="$3" '$1==c && $2==s {print $f}' "$results" | median; }
sum() { awk -v c="$1" -v s="$2" -v f="$3" '$1==c && $2==s {t+=$f} END {print t+0}' "$results"; }

report=$out/webhook.md
{
    echo "# Webhook load benchmark"
    echo
    echo "wrk, ${threads} threads, ${duration} s per run, ${rounds} alternating rounds per connection count, medians;"
    echo "POST /mutate--v1-pod with a ${body_bytes}-byte GPU pod AdmissionReview over HTTPS (TLS via the JDK),"
    echo "answer ${answer_bytes} bytes from every server, ${loops} event loop(s) each, $(nproc) CPUs shared with wrk."
    echo "Warm-up at 64 connections: $(IFS=,; echo "${warmed[*]}" | sed 's/,/, /g'); load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "real = the webhook with its rules; baseline = do-nothing Vert.x handler; layer = the webhook's HTTP"
    echo "layer with a reviewer that returns the fixed answer (the difference to real is the rules' cost);"
    echo "worker = real with reviews on the worker pool instead of the event loop."
    echo
    echo "| connections | server | requests/s | p50 ms | p99 ms | socket errors | non-2xx | server CPU µs/request |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|"
    for conns in 64 8; do
        for server in "${servers[@]}"; do
            echo "| $conns | $server | $(field $conns $server 4) | $(field $conns $server 5) | $(field $conns $server 6) |" \
                "$(sum $conns $server 7) | $(sum $conns $server 8) | $(field $conns $server 9) |"
        done
    done
    echo
    awk -v r64="$(field 64 real 4)" -v b64="$(field 64 baseline 4)" \
        -v rp99="$(field 64 real 6)" -v bp99="$(field 64 baseline 6)" -v p8="$(field 8 real 6)" 'BEGIN {
        tr = r64 / b64; pr = rp99 / bp99
        printf "- 64 connections: throughput %.0f%% of the do-nothing handler (goal >= 60%%): %s\n", 100 * tr, (tr >= 0.6 ? "met" : "NOT met")
        printf "- 64 connections: p99 %.2fx the do-nothing handler'"'"'s (goal <= 2x): %s\n", pr, (pr <= 2 ? "met" : "NOT met")
        printf "- 8 connections: p99 %.2f ms (goal <= 5 ms): %s\n", p8, (p8 <= 5 ? "met" : "NOT met")
    }'
    # Round by round, each server against the do-nothing handler of the same round: less exposed to the
    # machine's drift than a ratio of medians taken over the whole run.
    awk 'function sorted(a, n,    i, j, v) { for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j > 0 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v } }
         $1 == 64 && $2 == "baseline" {b[$3] = $4; bc[$3] = $9}
         $1 == 64 && $2 == "real" {r[$3] = $4; rc[$3] = $9}
         END {
             for (i in r) if (i in b && b[i] > 0) { n++; t[n] = r[i] / b[i]; c[n] = (bc[i] > 0 ? rc[i] / bc[i] : 0) }
             if (n == 0) exit
             sorted(t, n); sorted(c, n)
             s = ""; for (i = 1; i <= n; i++) s = s sprintf("%s%.0f%%", (i > 1 ? ", " : ""), 100 * t[i])
             printf "- 64 connections, round by round: real at %s of the do-nothing handler'"'"'s throughput (median %.0f%%); server CPU per request %.2fx the do-nothing handler'"'"'s (median)\n", s, 100 * (n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2), (n % 2 ? c[(n + 1) / 2] : (c[n / 2] + c[n / 2 + 1]) / 2)
         }' "$results"
    # Time inside the handler (parse, rules, write), from the real server's own histogram over all runs.
    curl -s "http://127.0.0.1:$metrics_port/metrics" 2>/dev/null | awk '
        /^runai_admission_duration_seconds_sum\{webhook="mutate-pod"}/ {sum=$2}
        /^runai_admission_duration_seconds_count\{webhook="mutate-pod"}/ {count=$2}
        /^runai_admission_duration_seconds_bucket\{webhook="mutate-pod",le="5.0E-4"}/ {b05=$2}
        /^runai_admission_duration_seconds_bucket\{webhook="mutate-pod",le="0.001"}/ {b1=$2}
        END { if (count > 0) printf "- time in the handler (parse, rules, write) on the real server: mean %.1f us, %.1f%% under 0.5 ms, %.1f%% under 1 ms (%d reviews)\n", 1e6 * sum / count, 100 * b05 / count, 100 * b1 / count, count }' || true
} | tee "$report"
echo "run.sh: wrote $report (individual runs in $results)" >&2
