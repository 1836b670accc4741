package io.iocp4j.frame;

/** Why a connection's byte stream cannot be decoded further. */
public enum FrameError {
    /** A packet longer than the codec's maximum: a header announcing more, or a line or record running past it. */
    TOO_LARGE,
    /** A header announcing a packet of zero bytes, where the codec takes none. */
    EMPTY,
    /** A length field that cannot describe a frame: after its adjustment, shorter than the bytes before the body. */
    MALFORMED
}
