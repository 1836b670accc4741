package io.iocp4j.bench;

import io.iocp4j.Connection;
import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileStore;
import io.iocp4j.frame.Framing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The server side of the file-transfer benchmark, in a process of its own so that its CPU time can be read from
 * /proc: stores uploads in and serves downloads from one directory, prints its port, and runs until its standard
 * input closes.
 *
 * <pre>java ... io.iocp4j.bench.FileServerMain DIR TRANSPORT</pre>
 */
public final class FileServerMain {
    private FileServerMain() {
    }

    public static void main(String[] args) throws Exception {
        FileStore store = FileStore.builder(Path.of(args[0])).maxPartialBytes(Long.MAX_VALUE).build();
        Server server = Server.builder()
                .bind("127.0.0.1", 0)
                .transport(Transport.valueOf(args[1].toUpperCase(Locale.ROOT)))
                .ioThreads(1)
                .framing(Framing.lengthPrefixed(4, 1 << 20))
                .handler(new FileHandler() {
                    @Override
                    public FileDecision onFileOffer(Connection connection, FileOffer offer) {
                        return FileDecision.use(store);
                    }

                    @Override
                    public FileDecision onFileRequest(Connection connection, String name) {
                        return FileDecision.use(store);
                    }

                    @Override
                    public void onPacket(Connection connection, ByteBuffer packet) {
                        connection.send(packet);
                    }
                })
                .start();
        System.out.println("port " + server.localAddress().getPort() + " transport " + server.transport());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Runs until the benchmark closes our standard input.
        }
        server.shutdown(Duration.ofSeconds(5));
    }
}
