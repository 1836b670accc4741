package io.iocp4j.bench.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process one echo server runs in, driven by the runner through its standard streams: it prints
 * {@code READY port pid} once listening; on the line {@code memory} it collects garbage and prints
 * {@code MEMORY heap=B rss=B}; at the end of its input it stops. The runner kills it if it does not.
 */
public final class EchoServerProgram {
    private EchoServerProgram() {
    }

    public static void run(String name, int port, int ioThreads, Path tlsDirectory) throws Exception {
        try (EchoPeer peer = EchoPeer.named(name, tlsDirectory)) {
            int bound = peer.start(port, ioThreads);
            System.out.println("READY " + bound + " " + ProcessHandle.current().pid());
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                if (line.trim().equals("memory")) {
                    System.out.println("MEMORY heap=" + heapAfterGc() + " rss=" + residentBytes());
                } else {
                    System.out.println("UNKNOWN " + line);
                }
                System.out.flush();
            }
        }
    }

    /** Heap in use after full collections, repeated until it stops shrinking (a bounded number of times). */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            if (heap.getUsed() >= used) {
                break;
            }
            used = heap.getUsed();
        }
        return used;
    }

    /** VmRSS of this process from /proc/self/status, in bytes; -1 where there is no /proc. */
    static long residentBytes() {
        return ProcStatus.residentBytes(Path.of("/proc/self/status"));
    }

    /** Reads VmRSS from a /proc status file. */
    public static final class ProcStatus {
        private ProcStatus() {
        }

        public static long residentBytes(Path status) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        String[] fields = line.substring(6).trim().split("\\s+");
                        return Long.parseLong(fields[0]) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }
    }
}
