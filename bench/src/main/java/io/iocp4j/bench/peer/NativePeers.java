package io.iocp4j.bench.peer;

import io.iocp4j.bench.NativeBuild;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The echo servers written in C (the native limit): c-epoll (epoll, read and write) and c-uring (io_uring, multishot
 * receive from provided buffers), built by {@link NativeBuild}. They speak to the runner as
 * {@link EchoServerProgram} does.
 */
public final class NativePeers {
    public static final List<String> NAMES = List.of("c-epoll", "c-uring");

    private NativePeers() {
    }

    public static boolean isNative(String name) {
        return NAMES.contains(name);
    }

    /** The names whose server can be built here (gcc is on the PATH, and the kernel headers c-uring needs). */
    public static List<String> buildable() {
        return NativeBuild.compilerWorks() ? NAMES.stream().filter(NativeBuild::builds).toList() : List.of();
    }

    /** The built server, compiling it first when its source is newer or it was never built. */
    public static Path binary(String name) throws IOException, InterruptedException {
        if (!isNative(name)) {
            throw new IllegalArgumentException("no native echo server named " + name);
        }
        return NativeBuild.binary(name);
    }
}
