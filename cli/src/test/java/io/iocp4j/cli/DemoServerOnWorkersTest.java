package io.iocp4j.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo server with its handlers on a job pool of four workers, answering in packet order. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoServerOnWorkersTest {
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0", "--transport", "nio2",
                "--workers", "4", "--ordering", "Ordered-Replies");
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            assertEquals(0, server.terminate(), server.stderr());
        }
    }

    @Test
    void namesItsWorkersAndOrderingInTheReadyLine() {
        assertTrue(server.readyLine.endsWith(", transport nio2, 1 I/O thread, 4 workers (ordered-replies)"),
                server.readyLine);
    }

    @Test
    void echoesABurstOfTextInOrderWhileWorkersHandleItInParallel() throws IOException {
        int messages = 5000;
        try (WireClient client = new WireClient(server.packetPort)) {
            ByteBuffer burst = ByteBuffer.allocate(messages * 9);
            for (int i = 0; i < messages; i++) {
                burst.put(WireClient.frame(MessageType.TEXT, ByteBuffer.allocate(4).putInt(i).array()));
            }
            client.sendRaw(burst.array());
            for (int i = 0; i < messages; i++) {
                WireClient.Frame echo = client.receive();
                assertNotNull(echo, "echo " + i);
                assertEquals(i, ByteBuffer.wrap(echo.body()).getInt());
            }
        }
    }

    @Test
    void answersEveryMessageBeforeAViolationThenTheErrorThenCloses() throws IOException {
        try (WireClient client = new WireClient(server.packetPort)) {
            ByteBuffer burst = ByteBuffer.allocate(200 * 9 + 5 + 9);
            for (int i = 0; i < 200; i++) {
                burst.put(WireClient.frame(MessageType.TEXT, ByteBuffer.allocate(4).putInt(i).array()));
            }
            burst.put(WireClient.frame(0x55, new byte[0]));
            burst.put(WireClient.frame(MessageType.TEXT, ByteBuffer.allocate(4).putInt(200).array()));
            client.sendRaw(burst.array());
            for (int i = 0; i < 200; i++) {
                assertEquals(i, ByteBuffer.wrap(client.receive().body()).getInt(), "echo " + i);
            }
            WireClient.Frame error = client.receive();
            assertNotNull(error);
            assertEquals(MessageType.ERROR, error.type());
            assertEquals(ErrorCode.UNKNOWN_TYPE.code, error.code());
            assertNull(client.receive(), "nothing after the ERROR: the message behind it is not answered");
        }
    }
}
