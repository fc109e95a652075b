#!/usr/bin/env bash
# Records what a GPU host shows the collector, for test fixtures and bug reports:
#   bash scripts/gpu-fixtures/record.sh [OUT_DIR]
# nvidia-smi's own outputs, the collector's samples (npx tsx, or SAMPLE_CMD), and each second a
# one-shot query beside NVML's reading (python3 with nvidia-ml-py), 7 s idle, 18 s under a
# PyTorch bf16 load holding 16 GiB (python3 with torch), then idle again. Results as in
# tests/fixtures/nvidia-smi/h200.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
O="${1:-gpu-fixtures-$(hostname)}"
mkdir -p "$O"
exec 2>>"$O/run.log"
sample_cmd="${SAMPLE_CMD:-npx tsx $here/sample.ts}"
Q='index,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,power.limit,fan.speed,clocks.sm,clocks.mem,name'
A='gpu_uuid,pid,used_memory,process_name'
{ nvidia-smi; nvidia-smi -L; nvidia-smi --version; echo ---; nvidia-smi --query-gpu=$Q --format=csv; } >"$O/nvidia-smi.txt" 2>&1
nvidia-smi -q -x >"$O/q-idle.xml"
nvidia-smi --query-gpu=$Q --format=csv,noheader,nounits -lms 1000 >"$O/query-gpu.csv" &
smi=$!
$sample_cmd 34 >"$O/collector.jsonl" &
collector=$!
python3 "$here/nvml_pairs.py" 34 >"$O/pairs.jsonl" &
pairs=$!
sleep 7
python3 "$here/gpu_load.py" 18 >>"$O/run.log" 2>&1 &
load=$!
sleep 9
nvidia-smi --query-compute-apps=$A --format=csv,noheader,nounits >"$O/query-compute-apps.csv" 2>&1
nvidia-smi -q -x >"$O/q-load.xml"
wait $load
wait $collector
wait $pairs
kill $smi
echo "recorded in $O" >&2
