#!/usr/bin/env bash
# Training-step timing on a MiniLM-shaped encoder, fp32 beside bf16 mixed precision (forward, backward, optimizer).
# Usage: bench/train-step.sh [timed-steps=4] [threads=nproc] [convergence-steps=200]
exec "$(dirname "$0")/java-bench.sh" TrainStepTiming -Xmx8g -- "$@"
