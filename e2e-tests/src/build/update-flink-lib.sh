#!/usr/bin/env bash
# Regenerates the pinned jar list of one Flink version in e2e-tests/pom.xml.
#
# flink-dist is not on Maven Central, so the e2e tests assemble each Flink version's lib/ directory
# from the module jars that flink-dist bundles. A Maven module resolves one version of an artifact
# only, so the two versions cannot both be ordinary dependencies of e2e-tests; instead the pom pins
# each version's complete runtime closure as dependency:copy <artifactItem>s. This script computes
# that closure with Maven itself (a throw-away pom with the top-level jars below) and rewrites the
# block between
#     <!-- BEGIN flink-<version> lib (src/build/update-flink-lib.sh) -->
#     <!-- END flink-<version> lib -->
# Usage: e2e-tests/src/build/update-flink-lib.sh 2.3.0
# To add a version, first add an empty BEGIN/END block in a copy of an existing execution.
set -euo pipefail

version=${1:?usage: $0 <flink-version>}
log4j_version=2.24.3
module_dir=$(cd "$(dirname "$0")/../.." && pwd)
pom="$module_dir/pom.xml"
begin="<!-- BEGIN flink-$version lib (src/build/update-flink-lib.sh) -->"
end="<!-- END flink-$version lib -->"
grep -qF -- "$begin" "$pom" || { echo "No block '$begin' in $pom" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# What flink-dist's lib/ holds (flink-dist.jar's modules, table, formats, log4j), minus Hadoop and
# Scala, which these tests do not need.
flink_modules="flink-runtime flink-clients flink-streaming-java flink-runtime-web flink-connector-files
  flink-table-api-java-bridge flink-table-planner-loader flink-table-runtime flink-csv flink-json"
log4j_modules="log4j-slf4j-impl log4j-api log4j-core log4j-1.2-api"
{
  echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
  echo '<groupId>local</groupId><artifactId>flink-lib</artifactId><version>1</version><packaging>pom</packaging><dependencies>'
  for a in $flink_modules; do
    echo "<dependency><groupId>org.apache.flink</groupId><artifactId>$a</artifactId><version>$version</version></dependency>"
  done
  for a in $log4j_modules; do
    echo "<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>$a</artifactId><version>$log4j_version</version></dependency>"
  done
  echo '</dependencies></project>'
} > "$work/pom.xml"

mvn -q -B -f "$work/pom.xml" dependency:list -DincludeScope=runtime -Dsort=true \
  -DoutputFile="$work/list.txt" -DoutputEncoding=UTF-8 >&2

# Lines look like "   group:artifact:jar[:classifier]:version:scope[ -- module ...]".
items=$(sed -e 's/ -- .*//' -e 's/^ *//' "$work/list.txt" | grep -E '^[^: ]+:[^: ]+:jar:' | awk -F: '
  NF == 5 { printf "<artifactItem><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></artifactItem>\n", $1, $2, $4 }
  NF == 6 { printf "<artifactItem><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version><classifier>%s</classifier></artifactItem>\n", $1, $2, $5, $4 }')
count=$(printf '%s\n' "$items" | grep -c artifactItem)
[ "$count" -gt 20 ] || { echo "Only $count artifacts resolved; not touching $pom" >&2; exit 1; }

# Replace the block's content, keeping the marker lines and their indentation.
indent=$(grep -F -- "$begin" "$pom" | sed -E 's/^( *).*/\1/')
printf '%s\n' "$items" | sed "s/^/$indent/" > "$work/items.xml"
awk -v begin="$begin" -v end="$end" -v items="$work/items.xml" '
  index($0, begin) { print; while ((getline line < items) > 0) print line; skip = 1; next }
  index($0, end)   { skip = 0 }
  !skip            { print }' "$pom" > "$work/pom.new"
mv "$work/pom.new" "$pom"
echo "flink-$version: $count jars pinned in $pom" >&2
