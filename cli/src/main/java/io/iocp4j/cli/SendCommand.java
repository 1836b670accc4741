package io.iocp4j.cli;

import io.iocp4j.file.FileTransfers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code iocp4j send FILE}: uploads a file; run again after an interruption, it resumes where the server holds. */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class,
        description = "Upload FILE to the server's directory, verified by SHA-256; re-run to resume.")
final class SendCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The file to upload; the server stores it under its name.")
    Path file;

    @Mixin
    ServerAddress server;

    @Mixin
    TlsClientOptions tls;

    @Override
    public Integer call() throws InterruptedException {
        server.validate();
        tls.refuseFileTransfers();
        if (!Files.isRegularFile(file)) {
            System.err.println("iocp4j: cannot send " + file + ": not a readable file");
            return Main.FAILED;
        }
        return new FileClient(null).run(server.transport, server.host, server.port,
                connection -> FileTransfers.of(connection).send(file), "send", offer -> "sent " + offer.name());
    }
}
