package io.iocp4j.internal.engine;

import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.spi.AcceptHandler;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.CompletionSink;
import io.iocp4j.spi.ConnectHandler;
import io.iocp4j.spi.Listener;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.ScheduledTask;
import io.iocp4j.spi.SocketHandoff;
import io.iocp4j.spi.TransportProvider;
import io.iocp4j.spi.TransportSocket;
import io.iocp4j.spi.UserData;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A transport whose single port is driven by the test itself: the test thread is the port thread, posted tasks
 * run when the test says, and every submitted operation waits in a list until the test completes it by hand.
 */
final class ManualTransport implements TransportProvider {
    /** An operation the core submitted: which socket, which user data. */
    record Submitted(ManualSocket socket, String kind, long userData) {
    }

    final List<Submitted> submitted = new ArrayList<>();
    ManualPort port;

    @Override
    public String name() {
        return "manual";
    }

    @Override
    public int preference() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public boolean listensOnEveryPort() {
        return false;
    }

    @Override
    public CompletionPort openPort(PortConfig config) {
        port = new ManualPort(config);
        return port;
    }

    /** Takes the oldest submitted operation of {@code kind}. */
    Submitted take(String kind) {
        for (int i = 0; i < submitted.size(); i++) {
            if (submitted.get(i).kind().equals(kind)) {
                return submitted.remove(i);
            }
        }
        throw new AssertionError("no " + kind + " submitted; pending: " + submitted);
    }

    final class ManualPort implements CompletionPort {
        final PortConfig config;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        final List<Runnable> timers = new ArrayList<>();
        final Thread owner = Thread.currentThread();
        AcceptHandler acceptHandler;
        boolean shutdown;

        ManualPort(PortConfig config) {
            this.config = config;
        }

        CompletionSink sink() {
            return config.sink();
        }

        /** Runs posted tasks until none is left. */
        void runTasks() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }

        /** Delivers a completion as the transport would, then what it posted. */
        void complete(long userData, int result, IoBuffer buffer) {
            complete(userData, result, 0, buffer);
        }

        void complete(long userData, int result, int flags, IoBuffer buffer) {
            config.sink().complete(userData, result, flags, buffer);
            runTasks();
        }

        /** A receive completion carrying {@code bytes}, in a pooled buffer as a real transport delivers them. */
        void receive(long userData, byte[] bytes) {
            receive(userData, bytes, 0);
        }

        /** One result of a multishot receive when {@code flags} has {@link UserData#F_MORE}. */
        void receive(long userData, byte[] bytes, int flags) {
            IoBuffer buffer = config.pool().lease(bytes.length);
            buffer.byteBuffer().put(bytes);
            complete(userData, bytes.length, flags, buffer);
        }

        ManualSocket accept() {
            ManualSocket socket = new ManualSocket();
            acceptHandler.onAccept(socket);
            runTasks();
            return socket;
        }

        @Override
        public boolean inPortThread() {
            return Thread.currentThread() == owner;
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        @Override
        public Listener listen(InetSocketAddress address, int backlog, boolean reusePort, AcceptHandler handler) {
            acceptHandler = handler;
            return new Listener() {
                @Override
                public InetSocketAddress localAddress() {
                    return address;
                }

                @Override
                public void close() {
                    execute(handler::onListenerClosed);
                }
            };
        }

        @Override
        public void connect(InetSocketAddress remote, ConnectHandler handler) {
            execute(() -> handler.onConnected(new ManualSocket()));
        }

        @Override
        public int receiveBuffersHeld() {
            return 0;
        }

        /** Timers never fire by themselves: a test runs them with {@link #fireTimers()}. */
        @Override
        public ScheduledTask schedule(long delayNanos, Runnable task) {
            boolean[] cancelled = new boolean[1];
            timers.add(() -> {
                if (!cancelled[0]) {
                    task.run();
                }
            });
            return () -> {
                boolean stopped = !cancelled[0];
                cancelled[0] = true;
                return stopped;
            };
        }

        void fireTimers() {
            List<Runnable> due = List.copyOf(timers);
            timers.clear();
            due.forEach(Runnable::run);
            runTasks();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public TransportSocket adopt(SocketHandoff handoff) {
            throw new UnsupportedOperationException("the manual transport has a single port");
        }

        @Override
        public boolean awaitTermination(Duration timeout) {
            return shutdown;
        }
    }

    final class ManualSocket implements TransportSocket {
        final List<byte[]> written = new ArrayList<>();
        /** Bytes the next write may take: a socket buffer with little room makes a short write. */
        int room = Integer.MAX_VALUE;

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 7000);
        }

        @Override
        public void receive(long userData) {
            submitted.add(new Submitted(this, "receive", userData));
        }

        /** Takes as much as {@link #room} allows, as a gathering write does; the test completes it. */
        @Override
        public void write(ByteBuffer[] sources, int offset, int length, long userData) {
            int total = 0;
            for (int i = offset; i < offset + length && total < room; i++) {
                byte[] bytes = new byte[Math.min(sources[i].remaining(), room - total)];
                sources[i].get(bytes);
                written.add(bytes);
                total += bytes.length;
            }
            submitted.add(new Submitted(this, "write:" + total, userData));
        }

        @Override
        public void cancelReceive() {
            submitted.add(new Submitted(this, "cancelReceive", 0));
        }

        @Override
        public SocketHandoff handOff() {
            throw new UnsupportedOperationException("the manual transport has a single port");
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void close(long userData) {
            submitted.add(new Submitted(this, "close", userData));
        }
    }
}
