# Shared by bench-decode, bench-drain and bench-smoke: finds (and if needed builds) the benchmark jar.
# Sourced, not run.

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$TOOLS_DIR/.." && pwd)"
BENCH_JAR="$TOOLS_DIR/target/benchmarks.jar"
BENCH_BINARIES="$TOOLS_DIR/target/postgres-binaries"

# Builds target/benchmarks.jar when it is missing or older than any source it is made from
# (tools/ and the connector module). BENCH_BUILD=0 never builds, BENCH_BUILD=1 always does.
bench_ensure_jar() {
    local build="${BENCH_BUILD:-auto}"
    if [[ "$build" == auto ]]; then
        build=0
        if [[ ! -f "$BENCH_JAR" || ! -d "$BENCH_BINARIES" ]]; then
            build=1
        elif [[ -n "$(find "$TOOLS_DIR/src" "$TOOLS_DIR/pom.xml" \
                "$ROOT_DIR/flink-connector-pgwalstream/src" "$ROOT_DIR/flink-connector-pgwalstream/pom.xml" \
                "$ROOT_DIR/pom.xml" -newer "$BENCH_JAR" -print -quit)" ]]; then
            build=1
        fi
    fi
    if [[ "$build" == 1 ]]; then
        echo "Building $BENCH_JAR (mvn -pl tools -am package -DskipTests) ..." >&2
        (cd "$ROOT_DIR" && mvn -B -q -pl tools -am package -DskipTests) >&2
    fi
    if [[ ! -f "$BENCH_JAR" ]]; then
        echo "No $BENCH_JAR: build it with 'mvn -pl tools -am package -DskipTests'" >&2
        exit 2
    fi
}


CDC_DIR="$TOOLS_DIR/postgres-cdc-bench"
CDC_JAR="$CDC_DIR/target/postgres-cdc-bench.jar"

# Builds the postgres-cdc contender's jar (tools/postgres-cdc-bench: Flink 1.20.3 + Flink CDC 3.5.0,
# a standalone Maven project that 'mvn verify' does not build) when it is missing or older than its
# sources. BENCH_BUILD=1 always builds it; BENCH_BUILD=0 does not stop it, as nothing else makes it.
# Needs Maven Central the first time (about 90 MB of dependencies).
bench_ensure_cdc_jar() {
    if [[ "${BENCH_BUILD:-auto}" == 1 || ! -f "$CDC_JAR" \
            || -n "$(find "$CDC_DIR/src" "$CDC_DIR/pom.xml" -newer "$CDC_JAR" -print -quit)" ]]; then
        echo "Building $CDC_JAR (mvn -f tools/postgres-cdc-bench/pom.xml package) ..." >&2
        mvn -B -q -f "$CDC_DIR/pom.xml" package >&2
    fi
}
