package io.iocp4j.cli;

import io.iocp4j.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code iocp4j send FILE}: uploads a file; run again after an interruption, it resumes where the server holds. */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class,
        description = "Upload FILE to the server's directory, verified by SHA-256; re-run to resume.")
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file to upload; the server stores it under its name.")
    Path file;

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
        if (!Files.isRegularFile(file)) {
            System.err.println("iocp4j: cannot send " + file + ": not a readable file");
            return Main.FAILED;
        }
        return new FileClient(null).run(transport, host, port, connection -> connection.sendFile(file), "send",
                offer -> "sent " + offer.name());
    }
}
