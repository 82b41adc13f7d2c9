#!/usr/bin/env bash
# Encoder inference throughput: Glossa (fp32, bf16) beside ONNX Runtime on all-MiniLM-L6-v2.
# Usage: bench/encoder-throughput.sh [seconds-per-cell=20] [threads=nproc]
exec "$(dirname "$0")/java-bench.sh" EncoderThroughput -Xmx4g -- "$@"
