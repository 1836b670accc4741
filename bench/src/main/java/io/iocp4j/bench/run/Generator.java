package io.iocp4j.bench.run;

import io.iocp4j.bench.NativeBuild;

import java.util.Locale;

/**
 * Which load generator drives the servers. Both take the same options and print the same lines; the C one costs the
 * least CPU per message, so on a 2-CPU machine it leaves the servers, not itself, as the limit where it can.
 */
public enum Generator {
    /** native/c-load.c: one thread, epoll, built with gcc; checks every echoed byte. */
    C("one thread, C with epoll; every echoed byte checked; latency in a log-linear histogram"),
    /** {@link io.iocp4j.bench.load.LoadGenerator}: one thread, a JDK NIO selector. */
    JAVA("one thread, JDK NIO; one byte of each read checked; latency in HdrHistogram");

    /** The generator of every TLS workload, whatever the plan's: the Java one over the JDK's SSLEngine. */
    public static final String JAVA_TLS_DESCRIPTION = "one thread, JDK NIO and SSLEngine, TLS 1.3 with"
            + " TLS_AES_128_GCM_SHA256; every echoed byte checked; latency in HdrHistogram";

    /** The name of the C program under native/. */
    static final String C_PROGRAM = "c-load";

    private final String description;

    Generator(String description) {
        this.description = description;
    }

    /** How the report describes it. */
    public String description() {
        return description;
    }

    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From {@code --generator}: {@code c} (the default where gcc builds it, else {@code java}) or {@code java}. */
    static Generator named(String value) {
        if (value == null) {
            return NativeBuild.builds(C_PROGRAM) ? C : JAVA;
        }
        for (Generator generator : values()) {
            if (generator.optionValue().equals(value)) {
                if (generator == C && !NativeBuild.builds(C_PROGRAM)) {
                    throw new IllegalArgumentException("--generator c needs gcc to build native/c-load.c; none"
                            + " works here (use --generator java)");
                }
                return generator;
            }
        }
        throw new IllegalArgumentException("--generator must be c or java, not " + value);
    }
}
