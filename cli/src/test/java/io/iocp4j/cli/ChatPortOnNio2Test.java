package io.iocp4j.cli;

class ChatPortOnNio2Test extends ChatPortEndToEnd {
    @Override
    protected String transport() {
        return "nio2";
    }
}
