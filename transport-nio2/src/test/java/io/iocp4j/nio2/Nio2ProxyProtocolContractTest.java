package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.ProxyProtocolContract;

class Nio2ProxyProtocolContractTest extends ProxyProtocolContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
