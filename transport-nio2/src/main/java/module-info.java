/** The portable completion port on JDK NIO.2 asynchronous channels (IOCP on Windows). */
module io.iocp4j.nio2 {
    requires io.iocp4j;

    provides io.iocp4j.spi.TransportProvider with io.iocp4j.nio2.Nio2TransportProvider;
}
