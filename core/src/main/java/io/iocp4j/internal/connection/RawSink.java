package io.iocp4j.internal.connection;

import java.nio.ByteBuffer;

/** Where the raw bytes received after a frame go (a file's), on the port thread, before frames are decoded again. */
public interface RawSink {
    /** The next raw bytes; valid during the call only. */
    void accept(ByteBuffer bytes);

    /**
     * The last raw byte was taken; what follows is framed again, at once, or, when this returns true, once the sink
     * has finished the stream's work off the port and called {@link ProtocolContext#rawStreamSettled()}: a reply to
     * what follows must not overtake the stream's own.
     */
    boolean end();
}
