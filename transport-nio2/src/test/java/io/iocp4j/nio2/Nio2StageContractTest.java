package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.StageContract;

class Nio2StageContractTest extends StageContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
