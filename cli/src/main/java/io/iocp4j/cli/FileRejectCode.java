package io.iocp4j.cli;

/** The codes of a FILE_REJECT message; the connection stays open after one. */
final class FileRejectCode {
    static final int NOT_FOUND = 1;
    static final int BAD_NAME = 2;
    static final int TOO_LARGE = 3;
    static final int BUSY = 4;
    static final int IO_ERROR = 5;

    private FileRejectCode() {
    }
}
