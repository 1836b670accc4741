/** The iocp4j program: demo server and client of the iocp4j wire protocol. */
module io.iocp4j.cli {
    requires io.iocp4j;
    requires io.iocp4j.ops;
    requires info.picocli;

    opens io.iocp4j.cli to info.picocli;
}
