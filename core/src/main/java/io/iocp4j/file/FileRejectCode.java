package io.iocp4j.file;

/** The codes of a FILE_REJECT message (docs/protocol.md); the connection stays open after one. */
public final class FileRejectCode {
    public static final int NOT_FOUND = 1;
    public static final int BAD_NAME = 2;
    public static final int TOO_LARGE = 3;
    public static final int BUSY = 4;
    public static final int IO_ERROR = 5;

    private FileRejectCode() {
    }
}
