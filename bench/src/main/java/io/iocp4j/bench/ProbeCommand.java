package io.iocp4j.bench;

import java.io.IOException;
import java.io.OutputStream;

/** Whether a command runs here and succeeds: how the benchmarks find out about the tools they use (gcc, taskset). */
public final class ProbeCommand {
    private ProbeCommand() {
    }

    /** True when the command starts and exits with 0; its output is discarded. */
    public static boolean succeeds(String... command) {
        try {
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            probe.getInputStream().transferTo(OutputStream.nullOutputStream());
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
