package io.iocp4j.cli;

import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code iocp4j get NAME}: downloads a file; run again after an interruption, it resumes from what it holds. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class,
        description = "Download NAME from the server into --out, verified by SHA-256; re-run to resume.")
final class GetCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The file's name on the server.")
    String name;

    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR",
            description = "Directory to store the file in (default: the current directory).")
    Path out;

    @Mixin
    ServerAddress server;

    @Mixin
    TlsClientOptions tls;

    @Override
    public Integer call() throws InterruptedException {
        server.validate();
        tls.refuseFileTransfers();
        FileStore store;
        try {
            // Downloads the user asked for: a partial one is kept for a resume whatever its size or age.
            store = FileStore.builder(out).maxPartialBytes(Long.MAX_VALUE).partialTtl(Duration.ZERO).build();
        } catch (IOException e) {
            System.err.println("iocp4j: cannot store into " + out + ": " + Failures.describe(e));
            return Main.FAILED;
        }
        return new FileClient(store).run(server.transport, server.host, server.port,
                connection -> FileTransfers.of(connection).request(name), "get",
                offer -> "got " + offer.name() + " into " + store.pathOf(offer.name()));
    }
}
