package io.iocp4j.file;

/**
 * Why a transfer did not end with a verified file: the peer rejected it (with a FILE_REJECT code), the checksum did
 * not match, it was cancelled, or the connection or the disk failed.
 */
public final class FileTransferException extends Exception {
    public enum Kind { REJECTED, MISMATCH, CANCELLED, BROKEN }

    private final Kind kind;
    private final int code;

    public FileTransferException(Kind kind, int code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** The FILE_REJECT or FILE_CANCEL code; 0 for the other kinds. */
    public int code() {
        return code;
    }
}
