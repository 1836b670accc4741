package example;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Server;
import io.iocp4j.frame.Framing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

public final class EchoExample {
    public static void main(String[] args) throws Exception {
        System.out.println(echo("hello, iocp4j"));
    }

    /** Starts an echo server on a free port, sends it {@code text} from a client and returns the answer. */
    public static String echo(String text) throws Exception {
        Framing framing = Framing.lengthPrefixed(4, 1 << 20);   // 4-byte length header, frames up to 1 MiB
        Server server = Server.builder()
                .bind("127.0.0.1", 0)
                .framing(framing)
                .handler((connection, packet) -> connection.send(packet))   // runs on an I/O thread
                .start();
        CompletableFuture<String> answer = new CompletableFuture<>();
        // The packet is lent for the call only: decode it before returning.
        Client client = Client.builder()
                .framing(framing)
                .handler((connection, packet) -> answer.complete(StandardCharsets.UTF_8.decode(packet).toString()))
                .build();
        try {
            Connection connection = client.connect("127.0.0.1", server.localAddress().getPort())
                    .get(5, TimeUnit.SECONDS);
            connection.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            return answer.get(5, TimeUnit.SECONDS);
        } finally {
            client.shutdown(Duration.ofSeconds(1));
            server.shutdown(Duration.ofSeconds(1));
        }
    }
}
