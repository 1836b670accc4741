package io.iocp4j.cli;

import io.iocp4j.Transport;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options of the commands that talk to a server: where it is, and the transport to reach it with. */
final class ServerAddress {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7000", paramLabel = "P",
            description = "Server packet port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "T", converter = TransportOption.class,
            description = "auto, nio2 or uring (default: ${DEFAULT-VALUE}).")
    Transport transport;

    /** Refuses a port outside 1 to 65535 as a usage error. */
    void validate() {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 1 and 65535, not " + port);
        }
    }
}
