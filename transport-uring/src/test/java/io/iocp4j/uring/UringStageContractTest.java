package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.StageContract;

class UringStageContractTest extends StageContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
