package io.iocp4j.cli;

import io.iocp4j.Transport;

/** {@code --transport}: {@code auto}, {@code uring} or {@code nio2}, named in lower case as the help names them. */
final class TransportOption extends KebabEnumOption<Transport> {
    TransportOption() {
        super(Transport.class, "a transport");
    }
}
