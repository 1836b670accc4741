package io.iocp4j;

/** Which completion port implementation to run on. */
public enum Transport {
    /** io_uring when this kernel offers what it needs, NIO.2 otherwise; the choice and its reason are logged. */
    AUTO,
    /** io_uring through the foreign function API (Linux). */
    URING,
    /** JDK NIO.2 asynchronous channels: IOCP on Windows, epoll on Linux. */
    NIO2;

    /** Empty when this transport can run here; otherwise why it cannot (not installed, kernel too old, ...). */
    public java.util.Optional<String> unavailableReason() {
        return Transports.unavailableReason(this);
    }

    /** The transport's name as the command line and providers spell it. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
