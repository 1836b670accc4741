package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.ManagementContract;

class UringManagementContractTest extends ManagementContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
