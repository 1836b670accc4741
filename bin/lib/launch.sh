# Sourced by the launchers in bin/ after they set $root (the project root) and $jar (the jar they run). Sets $java
# to a JDK 25 or newer, and builds the project when $jar was never built or the sources changed since.

# The feature release a java launcher reports: 25 for 'version "25.0.1"', 1 for 'version "1.8.0_402"'.
java_release() {
    "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1
}

# The JAVA_VERSION of a JDK home's release file ("25.0.1"), or nothing.
release_file_version() {
    [ -x "$1/bin/java" ] && [ -f "$1/release" ] || return 0
    sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release"
}

java=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    release="$(java_release "$JAVA_HOME/bin/java")"
    if [ -n "$release" ] && [ "$release" -ge 25 ]; then
        java="$JAVA_HOME/bin/java"
    fi
fi
if [ -z "$java" ]; then
    # The newest JDK under /usr/lib/jvm whose release is 25 or newer.
    newest="$(for home in /usr/lib/jvm/*; do
        version="$(release_file_version "$home")"
        if [ -n "$version" ] && [ "${version%%[!0-9]*}" -ge 25 ] 2>/dev/null; then
            printf '%s %s\n' "$version" "$home"
        fi
    done | sort -V | tail -n 1)"
    if [ -n "$newest" ]; then
        java="${newest#* }/bin/java"
    fi
fi
if [ -z "$java" ]; then
    echo "iocp4j: needs a JDK 25 or newer (e.g. apt-get install temurin-25-jdk, or set JAVA_HOME)" >&2
    exit 1
fi

# True when the jar is missing, or a pom.xml or anything under a src directory is newer than it. Directories
# count too: removing or renaming a source file changes only its directory's time.
stale() {
    [ ! -f "$jar" ] && return 0
    [ -n "$(find "$root" \( -name target -o -name .git \) -prune -o \
        \( -name pom.xml -o -path '*/src/*' \) -newer "$jar" -print -quit)" ]
}

if stale; then
    mkdir -p "$(dirname "$jar")"
    # One build at a time when several copies of this script start together; the others wait, then find it done.
    exec 9>"$(dirname "$jar")/.build.lock"
    if command -v flock >/dev/null; then
        flock 9
    fi
    if stale; then
        echo "iocp4j: building (first run or sources changed)..." >&2
        log="$(mktemp)"
        started="$(mktemp)"
        # package, not install: the jars stay in each module's target folder, and the user's own ~/.m2 never
        # receives the project's artifacts. Only the program and the benchmarks are built, without their docs.
        if ! (cd "$root" && ./mvnw -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
                package -pl cli,bench -am) >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log" "$started"
            echo "iocp4j: the build failed" >&2
            exit 1
        fi
        # The jar is not rewritten when its contents did not change; dated to the build's start, it is newer than
        # the sources it was built from, and older than any edited while the build ran.
        touch -r "$started" "$jar"
        rm -f "$log" "$started"
    fi
    exec 9>&-
fi

