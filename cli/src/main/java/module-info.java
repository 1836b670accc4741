/** The iocp4j program: demo server and client of the iocp4j wire protocol. */
module io.iocp4j.cli {
    requires io.iocp4j;
    requires io.iocp4j.ops;
    requires info.picocli;
    // The library logs through System.Logger; the program formats and filters the records with java.logging.
    requires java.logging;

    opens io.iocp4j.cli to info.picocli;
}
