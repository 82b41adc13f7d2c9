#!/usr/bin/env bash
# Builds the bench module and runs one of its main classes with OpenBLAS single-threaded, as Glossa runs.
# Usage: bench/java-bench.sh CLASS [JVM-OPTION...] -- [ARG...]   (the other bench scripts call it)
set -euo pipefail
cd "$(dirname "$0")/.."
main="$1"
shift
jvm=()
while [[ $# -gt 0 && "$1" != "--" ]]; do jvm+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
mvn -q -DskipTests install -pl bench -am
mvn -q dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt >/dev/null
export OPENBLAS_NUM_THREADS=1
exec java "${jvm[@]}" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "org.glossa.bench.$main" "$@"
