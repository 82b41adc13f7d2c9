#!/usr/bin/env bash
# Encoder inference throughput: Glossa (fp32, bf16) beside ONNX Runtime on all-MiniLM-L6-v2.
# Usage: bench/encoder-throughput.sh [seconds-per-cell=20] [threads=nproc]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests install -pl bench -am
mvn -q dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt >/dev/null
export OPENBLAS_NUM_THREADS=1
exec java -Xmx4g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.glossa.bench.EncoderThroughput "$@"
