package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.ManagementContract;

class Nio2ManagementContractTest extends ManagementContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
