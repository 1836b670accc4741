package io.iocp4j.frame;

/** Why a length-prefixed stream cannot be decoded further. */
public enum FrameError {
    /** The header announced more than the maximum frame length. */
    TOO_LARGE,
    /** The header announced a frame of zero bytes. */
    EMPTY
}
