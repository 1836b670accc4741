package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.TlsContract;

class UringTlsContractTest extends TlsContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
