#!/usr/bin/env bash
# Matrix-product throughput at a BERT shape: fp32 (OpenBLAS) and bf16 (oneDNN/AMX).
# Usage: bench/matmul-throughput.sh [threads=2]
exec "$(dirname "$0")/java-bench.sh" MatmulThroughput "-Dglossa.threads=${1:-2}" --
