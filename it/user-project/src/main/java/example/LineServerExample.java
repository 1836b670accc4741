package example;

import io.iocp4j.CloseReason;
import io.iocp4j.Server;
import io.iocp4j.frame.Framing;
import io.iocp4j.stage.ByteStage;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.stage.StageContext;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A line server behind a preamble: each line a client sends comes back in capitals. */
public final class LineServerExample {
    private LineServerExample() {
    }

    public static Server start(int port) throws IOException {
        return Server.builder()
                .bind("127.0.0.1", port)
                .pipeline(Pipeline.of(
                        Framing.lines(1024),                          // lines of up to 1 KiB, \n or \r\n
                        connection -> new Preamble("SHOUT/1\n")))     // a byte stage, made per connection
                .handler((connection, line) -> connection.send(capitals(line)))   // goes out ending in \n
                .start();
    }

    /** Consumes the bytes a client must open with, then leaves the path; anything else ends the connection. */
    static final class Preamble implements ByteStage {
        private final byte[] expected;
        private int matched;

        Preamble(String expected) {
            this.expected = expected.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public void inbound(StageContext context, ByteBuffer bytes) {
            while (matched < expected.length && bytes.hasRemaining()) {
                if (bytes.get() != expected[matched++]) {
                    context.close(CloseReason.PROTOCOL_ERROR, new ProtocolException("no SHOUT/1 preamble"));
                    return;
                }
            }
            if (matched == expected.length) {
                context.remove();                  // read once: later bytes go straight to the codec
                context.passInbound(bytes);        // and so do those that came behind the preamble
            }
        }
    }

    private static ByteBuffer capitals(ByteBuffer line) {
        String text = StandardCharsets.UTF_8.decode(line).toString();
        return StandardCharsets.UTF_8.encode(text.toUpperCase(java.util.Locale.ROOT));
    }
}
