package io.iocp4j.cli;

/** The status byte of FILE_DONE; any other value makes the body malformed. */
final class FileDoneStatus {
    static final int STORED = 0;
    static final int MISMATCH = 1;

    private FileDoneStatus() {
    }
}
