package example;

import io.iocp4j.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LineServerExampleTest {
    private Server server;

    @BeforeEach
    void start() throws IOException {
        server = LineServerExample.start(0);
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void linesAfterThePreambleComeBackInCapitalsWhateverTheirEnding() throws IOException {
        try (Socket socket = connect()) {
            // The preamble and the first line in one write, the second line split inside its ending.
            send(socket, "SHOUT/1\nhello, ");
            send(socket, "world\r");
            send(socket, "\ngrüße\n");
            BufferedReader in = reader(socket);
            assertEquals("HELLO, WORLD", in.readLine());
            assertEquals("GRÜSSE", in.readLine());
        }
    }

    @Test
    void aClientWithoutThePreambleIsClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET / HTTP/1.1\r\n\r\n");
            assertNull(reader(socket).readLine(), "the server ended the connection");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.localAddress().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }
}
