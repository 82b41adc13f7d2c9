#!/usr/bin/env bash
# Training-step timing on a MiniLM-shaped encoder, fp32 beside bf16 mixed precision (forward, backward, optimizer).
# Usage: bench/train-step.sh [timed-steps=4] [threads=nproc] [convergence-steps=200]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests install -pl bench -am
mvn -q dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt >/dev/null
export OPENBLAS_NUM_THREADS=1
exec java -Xmx8g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.glossa.bench.TrainStepTiming "$@"
