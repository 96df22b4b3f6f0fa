#!/usr/bin/env bash
# Builds the harness and runs the full benchmark (about 3.5 minutes on 2 cores); the tables are printed and
# written to bench/target/benchmark-results.md. Extra arguments go to the harness (see BenchMain), e.g.
#   bench/run.sh --parts=3 --camel-default-queue
# Set MAVEN_ARGS=-o to build offline.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q ${MAVEN_ARGS:-} -pl bench -am package -DskipTests
exec java -jar bench/target/camel-taas-bench.jar --out=bench/target/benchmark-results.md "$@"
