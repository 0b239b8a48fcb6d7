#!/usr/bin/env bash
# Regenerates the real JUnit XML reports the tests read, with the real tools.
# Not run by the build: run it by hand after changing a demo project, then review and
# commit the reports. Each tool runs in a scratch copy, so nothing but the reports changes.
#
# Reports last made with (update these lines when you regenerate):
#   Maven 3.8.7, OpenJDK 17.0.15, maven-surefire-plugin 3.5.4, maven-failsafe-plugin 3.5.4,
#     JUnit Jupiter 5.14.4        -> surefire/TEST-*.xml, failsafe/TEST-*.xml
#   pytest 9.0.3 (Python 3.11.7)  -> pytest-xunit1.xml, pytest-xunit2.xml
#   mocha 11.7.6, mocha-junit-reporter 2.2.1 (Node 20.20.2) -> mocha.xml
#   go 1.19.8 (Debian golang-go), gotestsum 1.8.2 (Debian) -> gotestsum.xml
# Hand-made (no such tool on this machine), after the formats' documentation:
#   nextest.xml (cargo-nextest's Jenkins-style report, as its quick-junit fixtures show),
#   gradle/TEST-*.xml (Gradle's per-class report), broken/*.xml (hostile and broken files).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

maven() {
  cp -r "$here/maven-project" "$scratch/maven"
  # Reruns make Surefire/Failsafe write flakyFailure/flakyError (failed, then passed) and
  # rerunFailure/rerunError (failed every time); failures must not stop the build before
  # Failsafe has run.
  (cd "$scratch/maven" && mvn -B -q verify -Dsurefire.rerunFailingTestsCount=2 \
      -Dfailsafe.rerunFailingTestsCount=2 -Dmaven.test.failure.ignore=true) || true
  rm -rf "$here/surefire" "$here/failsafe"
  mkdir -p "$here/surefire" "$here/failsafe"
  cp "$scratch"/maven/target/surefire-reports/TEST-*.xml "$here/surefire/"
  cp "$scratch"/maven/target/failsafe-reports/TEST-*.xml "$here/failsafe/"
}

pytest_reports() {
  cp -r "$here/pytest-project" "$scratch/pytest"
  for family in xunit1 xunit2; do
    (cd "$scratch/pytest" && pytest -q -p no:cacheprovider -o junit_family=$family \
        --junitxml="$here/pytest-$family.xml" tests) || true
  done
}

mocha_report() {
  cp -r "$here/mocha-project" "$scratch/mocha"
  (cd "$scratch/mocha" && npm install --no-audit --no-fund --silent \
      && MOCHA_FILE="$here/mocha.xml" npx mocha --reporter mocha-junit-reporter) || true
}

go_report() {
  cp -r "$here/go-project" "$scratch/go"
  (cd "$scratch/go" && GOPATH="$scratch/gopath" GOCACHE="$scratch/gocache" GOPROXY=off GOFLAGS=-mod=mod \
      gotestsum --junitfile "$here/gotestsum.xml" --format standard-verbose ./...) || true
}

maven
pytest_reports
mocha_report
go_report
echo "regenerated reports in $here"
