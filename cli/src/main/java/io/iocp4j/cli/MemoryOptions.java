package io.iocp4j.cli;

import io.iocp4j.Server;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/** The server's bounds on what peers can make it hold: its memory budgets and the frame timeout. */
final class MemoryOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--partial-frame-budget", defaultValue = "134217728", paramLabel = "BYTES",
            description = "Memory all connections together may hold in frames begun and not yet whole; past 7/8 "
                    + "of it the connections holding the most are held, then closed (default: ${DEFAULT-VALUE}, "
                    + "128 MiB).")
    long partialFrameBudget;

    @Option(names = "--send-budget", defaultValue = "268435456", paramLabel = "BYTES",
            description = "Memory all connections together may hold in replies not yet sent; past 7/8 of it the "
                    + "connections holding the most are held, then closed (default: ${DEFAULT-VALUE}, 256 MiB).")
    long sendBudget;

    @Option(names = "--frame-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Close a connection whose peer began a frame and has not finished it for this long. "
                    + "0: never (default: ${DEFAULT-VALUE}).")
    int frameTimeout;

    void validate() {
        if (partialFrameBudget < 1 << 20 || sendBudget < 1 << 20) {
            throw new ParameterException(spec.commandLine(), "--partial-frame-budget and --send-budget must be at "
                    + "least 1048576 (1 MiB), not " + Math.min(partialFrameBudget, sendBudget));
        }
        if (frameTimeout < 0 || frameTimeout > ServerPolicies.MAX_TIMEOUT_SECONDS) {
            throw new ParameterException(spec.commandLine(), "--frame-timeout must be between 0 and "
                    + ServerPolicies.MAX_TIMEOUT_SECONDS + ", not " + frameTimeout);
        }
    }

    void apply(Server.Builder builder) {
        builder.partialFrameBudget(partialFrameBudget)
                .sendBudget(sendBudget)
                .frameTimeout(Duration.ofSeconds(frameTimeout));
    }
}
