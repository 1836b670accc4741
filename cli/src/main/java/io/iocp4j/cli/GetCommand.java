package io.iocp4j.cli;

import io.iocp4j.Transport;
import io.iocp4j.file.FileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code iocp4j get NAME}: downloads a file; run again after an interruption, it resumes from what it holds. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class,
        description = "Download NAME from the server into --out, verified by SHA-256; re-run to resume.")
final class GetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The file's name on the server.")
    String name;

    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR",
            description = "Directory to store the file in (default: the current directory).")
    Path out;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7000", paramLabel = "P",
            description = "Server packet port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "T",
            description = "auto, nio2 or uring (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 1 and 65535, not " + port);
        }
        FileStore store;
        try {
            store = new FileStore(out, Long.MAX_VALUE);
        } catch (IOException e) {
            System.err.println("iocp4j: cannot store into " + out + ": " + Failures.describe(e));
            return Main.FAILED;
        }
        return new FileClient(store).run(transport, host, port, connection -> connection.requestFile(name), "get",
                offer -> "got " + offer.name() + " into " + store.pathOf(offer.name()));
    }
}
