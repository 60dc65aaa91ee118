#!/usr/bin/env bash
# Formats every Java source of every module as the build checks it (palantir-java-format,
# through testing/src/test/java/io/netloop/testing/FormattingTest.java): run before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl testing test -Dtest=FormattingTest -Dnetloop.format=apply -Dsurefire.failIfNoSpecifiedTests=false
echo "format.sh: every source is formatted"
