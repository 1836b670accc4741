package io.iocp4j.cli;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Transport;
import io.iocp4j.file.DiskNames;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfers;
import io.iocp4j.frame.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code iocp4j server --dir}, {@code iocp4j send} and {@code iocp4j get} as users run them: processes of their
 * own over loopback. Each transport runs it through a subclass naming the transport.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class FileCommandsEndToEnd {
    @TempDir
    Path temp;

    /** The value of {@code --transport} under test. */
    protected abstract String transport();

    private ServerProcess startServer(Path dir, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("server", "--port", "0", "--raw-echo-port", "0",
                "--transport", transport(), "--dir", dir.toString()));
        args.addAll(List.of(more));
        return ServerProcess.start(args.toArray(String[]::new));
    }

    private ServerProcess.Outcome run(String... args) throws Exception {
        return ServerProcess.run(new byte[0], args);
    }

    private static Path randomFile(Path file, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(file, bytes);
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    @Test
    void sendsAFileAndGetsItBackWithOneSummaryLineEach() throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        Path out = Files.createDirectories(temp.resolve("out"));
        Path source = randomFile(temp.resolve("data.bin"), 3 << 20, 1);
        try (ServerProcess server = startServer(served)) {
            String port = String.valueOf(server.packetPort);
            ServerProcess.Outcome sent = run("send", source.toString(), "--port", port, "--transport", transport());
            assertEquals(0, sent.exitCode(), sent.stderr());
            assertTrue(sent.stdout().matches("sent data\\.bin: 3\\.0 MiB in [0-9.]+ s \\([0-9.]+ [KMG]?i?B/s\\), "
                    + "SHA-256 verified\\R"), sent.stdout());
            assertArrayEquals(sha256(source), sha256(served.resolve("data.bin")));

            ServerProcess.Outcome got = run("get", "data.bin", "--out", out.toString(), "--port", port,
                    "--transport", transport());
            assertEquals(0, got.exitCode(), got.stderr());
            assertTrue(got.stdout().startsWith("got data.bin into " + out.resolve("data.bin").toAbsolutePath()
                    + ": 3.0 MiB in "), got.stdout());
            assertArrayEquals(sha256(source), sha256(out.resolve("data.bin")));
            assertEquals("", server.stderr());
        }
    }

    @Test
    void aSendRunAgainAfterAnInterruptionResumesWhereTheServerHolds() throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        Path source = randomFile(temp.resolve("resume.bin"), 1 << 20, 4);
        byte[] content = Files.readAllBytes(source);
        try (ServerProcess server = startServer(served)) {
            // An earlier upload of the same file broke after 300,000 bytes.
            try (WireClient broken = new WireClient(server.packetPort)) {
                byte[] name = "resume.bin".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                broken.send(MessageType.FILE_OFFER, ByteBuffer.allocate(42 + name.length).putLong(content.length)
                        .put(sha256(source)).putShort((short) name.length).put(name).array());
                assertEquals(MessageType.FILE_ACCEPT, broken.receive().type());
                broken.sendRaw(java.util.Arrays.copyOf(content, 300_000));
            }
            String port = String.valueOf(server.packetPort);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            ServerProcess.Outcome sent;
            do {
                // Until the server has seen the broken connection end, the name is busy.
                sent = run("send", source.toString(), "--port", port, "--transport", transport());
            } while (sent.exitCode() != 0 && sent.stderr().contains("FILE_REJECT 4") && System.nanoTime() < deadline);
            assertEquals(0, sent.exitCode(), sent.stderr());
            assertTrue(sent.stdout().contains(", resumed at 293.0 KiB, SHA-256 verified"), sent.stdout());
            assertArrayEquals(content, Files.readAllBytes(served.resolve("resume.bin")));
        }
    }

    @Test
    void exitsWithTheReasonWhenTheServerRejects() throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        Path source = randomFile(temp.resolve("big.bin"), 2000, 2);
        try (ServerProcess server = startServer(served, "--max-file-size", "1000")) {
            String port = String.valueOf(server.packetPort);
            ServerProcess.Outcome missing = run("get", "missing.txt", "--out", temp.toString(), "--port", port,
                    "--transport", transport());
            assertEquals(1, missing.exitCode());
            assertEquals("iocp4j: rejected: FILE_REJECT 1 (NOT_FOUND): no such file\n", missing.stderr());
            ServerProcess.Outcome tooLarge = run("send", source.toString(), "--port", port, "--transport",
                    transport());
            assertEquals(1, tooLarge.exitCode());
            assertEquals("iocp4j: rejected: FILE_REJECT 3 (TOO_LARGE): file of 2000 bytes; the limit is 1000\n",
                    tooLarge.stderr());
            assertEquals("", tooLarge.stdout());
        }
    }

    @Test
    void storesNonAsciiNamesEscapedOnAServerWithNoLocale() throws Exception {
        storesAndServesNonAsciiNames(ServerProcess::startWithoutLocale, DiskNames::escaped);
    }

    @Test
    void storesNonAsciiNamesAsTheirUtf8BytesWhenStartedAsTheLauncherDoesWhateverTheLocale() throws Exception {
        storesAndServesNonAsciiNames(ServerProcess::startWithoutLocaleAsTheLauncherDoes, DiskNames::utf8);
    }

    /** How a test starts the server. */
    @FunctionalInterface
    private interface Starter {
        ServerProcess start(String... args) throws Exception;
    }

    private void storesAndServesNonAsciiNames(Starter starter, java.util.function.UnaryOperator<String> storedAs)
            throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        Path out = Files.createDirectories(temp.resolve("out"));
        Path source = randomFile(temp.resolve("source"), 10_000, 3);
        String[] names = {"résumé.txt", "日本語.md", "é".repeat(127)};
        try (ServerProcess server = starter.start("server", "--port", "0", "--raw-echo-port", "0",
                "--transport", transport(), "--dir", served.toString());
             Client client = Client.builder().transport(Transport.valueOf(transport().toUpperCase()))
                     .framing(Framing.lengthPrefixed(4, 1 << 20)).handler(new Downloads(out)).build()) {
            Connection connection = client.connect("127.0.0.1", server.packetPort).get(10, TimeUnit.SECONDS);
            for (String name : names) {
                FileTransfers.of(connection).send(source, name).result().get(60, TimeUnit.SECONDS);
                assertArrayEquals(sha256(source), sha256(served.resolve(storedAs.apply(name))), name);
                FileTransfers.of(connection).request(name).result().get(60, TimeUnit.SECONDS);
                assertArrayEquals(sha256(source), sha256(out.resolve(DiskNames.of(name))), name);
            }
            connection.close();
            assertEquals("", server.stderr());
        }
    }

    /** A client handler that takes whatever it asked for into one directory. */
    private static final class Downloads implements FileHandler {
        private final FileStore store;

        Downloads(Path dir) throws IOException {
            store = new FileStore(dir, Long.MAX_VALUE);
        }

        @Override
        public FileDecision onFileOffer(Connection connection, FileOffer offer) {
            return FileDecision.use(store);
        }

        @Override
        public void onPacket(Connection connection, ByteBuffer packet) {
        }
    }
}
