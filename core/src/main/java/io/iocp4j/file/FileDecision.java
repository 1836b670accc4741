package io.iocp4j.file;

/**
 * A handler's answer to a FILE_OFFER or a FILE_GET: take the offered file into a store, serve the requested one
 * from a store, or reject with a FILE_REJECT code and a reason.
 */
public final class FileDecision {
    private final FileStore store;
    private final int code;
    private final String reason;

    private FileDecision(FileStore store, int code, String reason) {
        this.store = store;
        this.code = code;
        this.reason = reason;
    }

    /** FILE_OFFER: receive into {@code store}; FILE_GET: serve from it. The store may still reject. */
    public static FileDecision use(FileStore store) {
        if (store == null) {
            throw new IllegalArgumentException("store=null");
        }
        return new FileDecision(store, 0, null);
    }

    public static FileDecision reject(int code, String reason) {
        if (code < 1 || code > 0xFFFF || reason == null) {
            throw new IllegalArgumentException("code=" + code + " reason=" + reason);
        }
        return new FileDecision(null, code, reason);
    }

    /** The store, or null for a rejection. */
    public FileStore store() {
        return store;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
