#!/usr/bin/env bash
# The FGD packing benchmark (DESIGN §8) on all 17 workload variants of the Alibaba GPU trace, every
# placement policy, compared with the FGD authors' published figures. Builds nothing: run
# `mvn -q -DskipTests package` first. Writes bench-results/packing.md (and the JSON of each run under
# bench-results/packing/).
#
# Environment: GPUQ_JAR (default cli/target/gpuq.jar), GPUQ_TRACE_DIR (default
# ../shared/data/alibaba-gpu-v2023 from the repository root), SEEDS (default 42-51),
# GPUQ_BENCH_OUT (default bench-results).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jar=${GPUQ_JAR:-$root/cli/target/gpuq.jar}
data=${GPUQ_TRACE_DIR:-$root/../shared/data/alibaba-gpu-v2023}
out=${GPUQ_BENCH_OUT:-$root/bench-results}
seeds=${SEEDS:-42-51}
published=$data/fgd-expected-results/analysis_allo_discrete.csv

if [[ ! -f $jar ]]; then
    echo "packing.sh: $jar not found; build it first with: mvn -q -DskipTests package" >&2
    exit 1
fi
if [[ ! -f $data/openb_node_list_gpu_node.csv ]]; then
    echo "packing.sh: no trace in $data; set GPUQ_TRACE_DIR to the alibaba-gpu-v2023 folder" >&2
    exit 1
fi

variants=(default cpu050 cpu100 cpu200 cpu250 gpushare40 gpushare60 gpushare80 gpushare100
          gpuspec10 gpuspec20 gpuspec25 gpuspec33 multigpu20 multigpu30 multigpu40 multigpu50)

mkdir -p "$out/packing"
for v in "${variants[@]}"; do
    echo "packing-bench: openb_pod_list_$v (seeds $seeds)" >&2
    nice java -jar "$jar" packing-bench --nodes "$data/openb_node_list_gpu_node.csv" \
        --pods "$data/openb_pod_list_$v.csv" --policy all --seeds "$seeds" > "$out/packing/$v.json"
done

java -cp "$jar" "$root/bench/PackingTable.java" "$published" "$seeds" "$out/packing" "${variants[@]}" \
    > "$out/packing.md"
echo "wrote $out/packing.md" >&2
