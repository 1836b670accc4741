package io.iocp4j;

/** Why a connection ended, as {@link Handler#onDisconnect} hears it. The first cause wins. */
public enum CloseReason {
    /** {@link Connection#close()} or {@link Connection#closeAfterFlush()} on this side. */
    CLOSED_LOCALLY,
    /** The peer shut down its output; what was queued for it was sent first. */
    PEER_CLOSED,
    /** The socket failed: reset by the peer, broken pipe, or another I/O error. */
    IO_ERROR,
    /** A handler call threw; the error went to {@link Handler#onError}. */
    HANDLER_FAILED,
    /** The server or client was shut down. */
    SHUTDOWN,
    /**
     * More reply bytes were queued than the connection's cap allows: the peer does not read what it is sent (or
     * not fast enough), and the handler went on sending although the connection was not writable.
     */
    SLOW_CONSUMER,
    /**
     * Bytes were queued for the peer and it accepted none of them for the server's write timeout: it stopped
     * reading, or its network did. (Distinct from {@link #SLOW_CONSUMER}, which is about how much is queued.)
     */
    WRITE_TIMEOUT,
    /** Nothing was received from the peer and nothing sent to it for the server's idle timeout. */
    IDLE_TIMEOUT,
    /** The server had {@code maxConnections} open when this one arrived; it was closed after its last word. */
    OVER_LIMIT,
    /** Its address was banned and {@link Server#disconnectBanned()} closed it. */
    BANNED,
    /**
     * The server's memory budget for partial frames or for send queues was spent and this connection held the
     * most of it (or its share could not be had at all): its reading was paused, then it was closed, so that the
     * others go on.
     */
    MEMORY_BUDGET,
    /** A frame the peer began was not complete within the frame timeout: a body trickled too slowly, or stopped. */
    FRAME_TIMEOUT,
    /**
     * A byte stage failed on the connection's bytes (it threw, or its task did); the error went to
     * {@link Handler#onError}. A stage that refuses bytes on purpose ends the connection with
     * {@link #PROTOCOL_ERROR}.
     */
    STAGE_FAILED,
    /**
     * A stage refused what the peer sent, on purpose: a malformed PROXY header, a failed TLS handshake, a preamble
     * other than the one agreed. Its cause, when the stage gave one, went to {@link Handler#onError}.
     */
    PROTOCOL_ERROR,
    /**
     * TLS failed: the handshake failed or did not finish within its timeout, a record could not be read, or the peer
     * tried to renegotiate. The {@link javax.net.ssl.SSLException}, with the alert when there was one, went to
     * {@link Handler#onError}.
     */
    TLS_FAILED
}
