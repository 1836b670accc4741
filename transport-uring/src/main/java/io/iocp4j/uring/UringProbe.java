package io.iocp4j.uring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Finds out once whether this machine can run the transport: a small ring is set up with the flags the ports use,
 * its features checked, the opcodes asked for with IORING_REGISTER_PROBE and a buffer ring registered. The first
 * thing missing is the reason given.
 */
final class UringProbe {
    /** The flags every port's ring is set up with. */
    static final int SETUP_FLAGS = IoUring.IORING_SETUP_SINGLE_ISSUER | IoUring.IORING_SETUP_DEFER_TASKRUN
            | IoUring.IORING_SETUP_SUBMIT_ALL | IoUring.IORING_SETUP_CLAMP;

    private static final int REQUIRED_FEATURES = IoUring.IORING_FEAT_NODROP | IoUring.IORING_FEAT_EXT_ARG
            | IoUring.IORING_FEAT_FAST_POLL;
    private static final byte[] REQUIRED_OPS = {Sqe.IORING_OP_NOP, Sqe.IORING_OP_SENDMSG, Sqe.IORING_OP_ACCEPT,
            Sqe.IORING_OP_ASYNC_CANCEL, Sqe.IORING_OP_CONNECT, Sqe.IORING_OP_CLOSE, Sqe.IORING_OP_READ,
            Sqe.IORING_OP_SEND, Sqe.IORING_OP_RECV, Sqe.IORING_OP_POLL_ADD, Sqe.IORING_OP_SPLICE};
    private static final int PROBE_OPS = 256;
    /** Set to true, makes the transport report itself unavailable, so AUTO falls back to NIO.2. */
    static final String DISABLE_PROPERTY = "iocp4j.uring.disable";

    private static volatile Optional<String> unavailable;

    private UringProbe() {
    }

    /** Empty when io_uring can run here; otherwise why not. Probed once. */
    static Optional<String> unavailableReason() {
        Optional<String> known = unavailable;
        if (known == null) {
            synchronized (UringProbe.class) {
                known = unavailable;
                if (known == null) {
                    known = Optional.ofNullable(probe());
                    unavailable = known;
                }
            }
        }
        return known;
    }

    /** What the kernel offers, for the log line that says why this transport was chosen. */
    static String kernelDescription() {
        return "Linux " + System.getProperty("os.version") + ": single issuer, deferred task run, multishot accept"
                + " and receive, provided buffer ring, files spliced to sockets";
    }

    private static String probe() {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            return "turned off by the system property " + DISABLE_PROPERTY;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return "io_uring is Linux-only (this is " + System.getProperty("os.name") + ")";
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "system call numbers unknown for architecture " + arch;
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return "big-endian machine";
        }
        try (Arena arena = Arena.ofConfined()) {
            Ring ring;
            try {
                ring = Ring.open(8, 16, SETUP_FLAGS, arena);
            } catch (IOException e) {
                return setupRefused(e, arena);
            }
            try (ring) {
                return checkRing(ring, arena);
            }
        } catch (RuntimeException | LinkageError e) {
            return "io_uring cannot be driven from this JVM: " + e;
        }
    }

    private static String setupRefused(IOException error, Arena arena) {
        String message = error.getMessage();
        if (message.contains("EPERM")) {
            return "io_uring_setup was refused (EPERM): disabled by sysctl kernel.io_uring_disabled="
                    + sysctl("io_uring_disabled") + " or by a seccomp filter (containers often block it)";
        }
        if (message.contains("ENOSYS")) {
            return "this kernel has no io_uring (ENOSYS)";
        }
        if (message.contains("EINVAL")) {
            try (Ring plain = Ring.open(8, 16, 0, arena)) {
                return "kernel " + System.getProperty("os.version") + " lacks IORING_SETUP_SINGLE_ISSUER and "
                        + "DEFER_TASKRUN (Linux 6.1 or later is needed)";
            } catch (IOException again) {
                return "io_uring_setup failed: " + again.getMessage();
            }
        }
        return message;
    }

    private static String checkRing(Ring ring, Arena arena) {
        int missing = REQUIRED_FEATURES & ~ring.features();
        if (missing != 0) {
            return String.format("kernel %s lacks io_uring features 0x%x (NODROP, EXT_ARG, FAST_POLL needed)",
                    System.getProperty("os.version"), missing);
        }
        MemorySegment probe = arena.allocate(16 + 8L * PROBE_OPS, 8);
        int result = ring.register(IoUring.IORING_REGISTER_PROBE, probe.address(), PROBE_OPS);
        if (result < 0) {
            return "IORING_REGISTER_PROBE failed: " + Errnos.name(result);
        }
        // struct io_uring_probe { u8 last_op; u8 ops_len; u16 resv; u32 resv2[3]; struct io_uring_probe_op ops[]; }
        // struct io_uring_probe_op { u8 op; u8 resv; u16 flags; u32 resv2; }
        int lastOp = Byte.toUnsignedInt(probe.get(JAVA_BYTE, 0));
        for (byte op : REQUIRED_OPS) {
            boolean supported = op <= lastOp
                    && (probe.get(JAVA_SHORT, 16 + 8L * op + 2) & IoUring.IO_URING_OP_SUPPORTED) != 0;
            if (!supported) {
                return "kernel " + System.getProperty("os.version") + " lacks io_uring opcode " + op;
            }
        }
        MemorySegment entries = arena.allocate(16 * 2, 4096);
        MemorySegment registration = arena.allocate(40, 8);
        registration.set(JAVA_LONG, 0, entries.address());
        registration.set(JAVA_INT, 8, 2);
        result = ring.register(IoUring.IORING_REGISTER_PBUF_RING, registration.address(), 1);
        if (result < 0) {
            return "kernel " + System.getProperty("os.version") + " cannot register a provided buffer ring: "
                    + Errnos.name(result);
        }
        ring.register(IoUring.IORING_UNREGISTER_PBUF_RING, registration.address(), 1);
        return null;
    }

    private static String sysctl(String name) {
        try {
            return Files.readString(Path.of("/proc/sys/kernel", name)).strip();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
