package io.iocp4j.cli;

class FileCommandsOnNio2Test extends FileCommandsEndToEnd {
    @Override
    protected String transport() {
        return "nio2";
    }
}
