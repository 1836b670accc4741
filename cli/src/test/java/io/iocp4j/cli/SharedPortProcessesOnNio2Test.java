package io.iocp4j.cli;

class SharedPortProcessesOnNio2Test extends SharedPortProcessesEndToEnd {
    @Override
    protected String transport() {
        return "nio2";
    }
}
