package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.TlsContract;

class Nio2TlsContractTest extends TlsContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
