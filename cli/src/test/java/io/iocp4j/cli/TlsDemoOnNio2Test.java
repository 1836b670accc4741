package io.iocp4j.cli;

class TlsDemoOnNio2Test extends TlsDemoEndToEnd {
    @Override
    protected String transport() {
        return "nio2";
    }
}
