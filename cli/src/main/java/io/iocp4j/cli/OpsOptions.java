package io.iocp4j.cli;

import io.iocp4j.Server;
import io.iocp4j.ops.OpsServer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code --ops-port} and {@code --ops-host}, shared by the commands that run a server: the dashboard, /metrics,
 * /health and the actions of iocp4j-ops, with the address and the token printed once they serve.
 */
final class OpsOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--ops-port", paramLabel = "P",
            description = "Serve the live dashboard, /metrics, /stats, /health and the actions on this HTTP port "
                    + "(0: any free port); off when not given.")
    Integer port;

    @Option(names = "--ops-host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Address of the ops port (default: ${DEFAULT-VALUE}); anything but loopback exposes the "
                    + "dashboard, whose actions need the printed token.")
    String host;

    void validate() {
        if (port != null && (port < 0 || port > 65535)) {
            throw new ParameterException(spec.commandLine(), "--ops-port must be between 0 and 65535, not " + port);
        }
    }

    /**
     * Starts serving {@code server}'s operations when {@code --ops-port} was given; null when it was not.
     *
     * @throws IOException when the port cannot be bound
     */
    OpsServer start(Server server) throws IOException {
        return port == null ? null : OpsServer.builder(server).bind(host, port).start();
    }

    /** Where the ops server serves, and its token; nothing when there is none. */
    static void print(OpsServer ops, PrintStream out) {
        if (ops == null) {
            return;
        }
        out.println("iocp4j ops: dashboard on " + ops.url() + ", metrics on " + ops.url().resolve("/metrics")
                + ", health on " + ops.url().resolve("/health"));
        out.println("iocp4j ops: token for actions " + ops.token());
        out.flush();
    }
}
