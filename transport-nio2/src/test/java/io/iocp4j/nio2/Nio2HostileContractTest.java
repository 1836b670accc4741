package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.HostileContract;

class Nio2HostileContractTest extends HostileContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
