#!/usr/bin/env bash
# Matrix-product throughput at a BERT shape: fp32 (OpenBLAS) and bf16 (oneDNN/AMX), 2 threads.
# Usage: bench/matmul-throughput.sh [threads=2]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests install -pl bench -am
mvn -q dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt >/dev/null
export OPENBLAS_NUM_THREADS=1
exec java -Dglossa.threads="${1:-2}" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.glossa.bench.MatmulThroughput
