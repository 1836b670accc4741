package io.iocp4j.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo server's chat port, as {@code nc} users see it: lines to everyone else, names, a line too long ending
 * only its sender. Each transport runs it through a subclass naming the transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChatPortEndToEnd {
    private static final int MAX_LINE = 100;
    private ServerProcess server;

    protected abstract String transport();

    @BeforeAll
    void startServer() throws Exception {
        server = ServerProcess.start("server", "--port", "0", "--raw-echo-port", "0", "--chat-port",
                String.valueOf(DemoServerEndToEnd.freePort()), "--max-line", String.valueOf(MAX_LINE),
                "--transport", transport());
    }

    @AfterAll
    void stopServer() throws InterruptedException, IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theReadyLineNamesTheChatPort() {
        assertTrue(server.chatPort > 0, server.readyLine);
        assertTrue(server.readyLine.contains(", chat on 127.0.0.1:" + server.chatPort + ", transport "),
                server.readyLine);
    }

    @Test
    void eachLineGoesToEveryOtherClientPrefixedByTheSendersName() throws IOException {
        try (ChatPeer ada = join(); ChatPeer bob = join(); ChatPeer eve = join()) {
            ada.say("/nick ada");
            assertEquals("* you are now ada", ada.nextLineNotAbout("joined", "left"));
            bob.say("/nick bob");
            assertEquals("* you are now bob", bob.nextLineNotAbout("ada", "joined", "left"));
            ada.say("hello, everyone");
            assertEquals("ada: hello, everyone", bob.nextLineNotAbout("joined", "left", "is now"));
            assertEquals("ada: hello, everyone", eve.nextLineNotAbout("joined", "left", "is now"));
            // \r\n ends a line as \n does, and UTF-8 passes whole.
            bob.sayRaw("grüße, ada\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("bob: grüße, ada", ada.nextLineNotAbout("joined", "left", "is now"));
            assertEquals("bob: grüße, ada", eve.nextLineNotAbout("joined", "left", "is now", "hello"));
        }
    }

    @Test
    void aNameIsTakenOnceAndMustBePlain() throws IOException {
        try (ChatPeer first = join(); ChatPeer second = join()) {
            first.say("/nick Zed");
            assertEquals("* you are now Zed", first.nextLineNotAbout("joined", "left"));
            second.say("/nick zed");
            assertEquals("* zed is taken", second.nextLineNotAbout("joined", "left", "is now"));
            second.say("/nick two words");
            assertEquals("* a name is 1 to 32 letters, digits, '-', '_' or '.'",
                    second.nextLineNotAbout("joined", "left"));
            second.say("/dance");
            assertTrue(second.nextLineNotAbout("joined", "left").startsWith("* unknown command /dance"));
        }
    }

    @Test
    void aLineOverTheLimitClosesOnlyItsSender() throws IOException {
        try (ChatPeer talker = join(); ChatPeer listener = join()) {
            talker.say("x".repeat(MAX_LINE + 1));
            assertEquals("* line longer than " + MAX_LINE + " bytes; closing", talker.nextLineNotAbout("joined"));
            assertNull(talker.lineOrEnd(), "the sender's connection ends");
            assertTrue(listener.nextLineNotAbout("joined").endsWith(" left"), "the others hear it left");
            listener.say("/who");
            assertTrue(listener.nextLineNotAbout("joined", "left").startsWith("* here: "));
            // A line of exactly the limit is fine.
            try (ChatPeer other = join()) {
                listener.say("y".repeat(MAX_LINE));
                assertTrue(other.nextLineNotAbout("joined", "left").endsWith(": " + "y".repeat(MAX_LINE)));
            }
        }
    }

    @Test
    void quitSaysByeAndEndsTheConnection() throws IOException {
        try (ChatPeer peer = join()) {
            peer.say("/quit");
            assertEquals("* bye", peer.nextLineNotAbout("joined", "left"));
            assertNull(peer.lineOrEnd());
        }
    }

    private ChatPeer join() throws IOException {
        ChatPeer peer = new ChatPeer(server.chatPort);
        assertTrue(peer.nextLine().startsWith("* welcome, guest-"), "the welcome comes first");
        return peer;
    }

    /** A line-based client, as nc is. */
    static final class ChatPeer implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        ChatPeer(int port) throws IOException {
            this(new Socket("127.0.0.1", port));
        }

        /** Over a socket already connected (a TLS one, say). */
        ChatPeer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void say(String line) throws IOException {
            sayRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void sayRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        String nextLine() throws IOException {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the server closed the connection");
            }
            return line;
        }

        /** The next line that is not a notice about others coming, going or renaming ({@code words}). */
        String nextLineNotAbout(String... words) throws IOException {
            for (;;) {
                String line = nextLine();
                boolean aside = false;
                for (String word : words) {
                    aside |= line.startsWith("* ") && line.contains(word) && !line.startsWith("* you ");
                }
                if (!aside) {
                    return line;
                }
            }
        }

        /** The next line, or null at the end of the stream (or a reset). */
        String lineOrEnd() throws IOException {
            try {
                return in.readLine();
            } catch (SocketException reset) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
