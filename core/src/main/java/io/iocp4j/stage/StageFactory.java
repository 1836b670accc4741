package io.iocp4j.stage;

import io.iocp4j.Connection;

/** Makes a connection's own instance of a stage, at accept or connect, on the connection's I/O thread. */
@FunctionalInterface
public interface StageFactory {
    ByteStage newStage(Connection connection);
}
