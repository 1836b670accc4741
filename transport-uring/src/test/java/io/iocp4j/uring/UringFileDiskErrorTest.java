package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.FileDiskErrorContract;

class UringFileDiskErrorTest extends FileDiskErrorContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
