package io.iocp4j.cli;

/** The codes of an ERROR message; the server closes the connection right after sending one. */
enum ErrorCode {
    FRAME_TOO_LARGE(1),
    EMPTY_FRAME(2),
    UNKNOWN_TYPE(3),
    MALFORMED_BODY(4),
    UNEXPECTED(5),
    BUSY(6),
    IDLE_TIMEOUT(7),
    SHUTTING_DOWN(8);

    final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The name of {@code code}, or {@code UNKNOWN} for a code this version does not define. */
    static String nameOf(int code) {
        for (ErrorCode value : values()) {
            if (value.code == code) {
                return value.name();
            }
        }
        return "UNKNOWN";
    }
}
