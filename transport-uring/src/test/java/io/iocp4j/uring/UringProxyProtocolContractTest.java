package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.ProxyProtocolContract;

class UringProxyProtocolContractTest extends ProxyProtocolContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
