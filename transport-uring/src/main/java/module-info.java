/**
 * The io_uring completion port for Linux, driven through {@code java.lang.foreign}: no JNI, no native library.
 * Needs native access: run with {@code --enable-native-access=io.iocp4j.uring} (or ALL-UNNAMED on the class path).
 */
module io.iocp4j.uring {
    requires io.iocp4j;

    provides io.iocp4j.spi.TransportProvider with io.iocp4j.uring.UringTransportProvider;
}
