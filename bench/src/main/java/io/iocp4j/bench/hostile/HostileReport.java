package io.iocp4j.bench.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results as a table: aligned text for the terminal, and markdown for the notes. */
final class HostileReport {
    private static final List<String> COLUMNS = List.of("attack", "transport", "conns", "RSS before", "RSS peak",
            "RSS after", "fds peak", "fds after", "witness worst", "witness p99", "serving at end", "SIGTERM",
            "exit");

    private HostileReport() {
    }

    /** One row of cells, in the order of the columns. */
    static List<String> cells(HostileResult result) {
        List<String> cells = new ArrayList<>();
        cells.add(result.attack());
        cells.add(result.transport());
        cells.add(result.connected() + "/" + result.asked());
        cells.add(mebibytes(result.before() == null ? ProcStatus.UNKNOWN : result.before().residentBytes()));
        cells.add(mebibytes(result.peak() == null ? ProcStatus.UNKNOWN : result.peak().residentBytes()));
        cells.add(mebibytes(result.after() == null ? ProcStatus.UNKNOWN : result.after().residentBytes()));
        cells.add(count(result.peak() == null ? ProcStatus.UNKNOWN : result.peak().descriptors()));
        cells.add(count(result.after() == null ? ProcStatus.UNKNOWN : result.after().descriptors()));
        cells.add(worst(result.witness()));
        cells.add(result.witness() == null || result.witness().answered() == 0 ? "-"
                : milliseconds(result.witness().p99Micros()));
        cells.add(result.serving());
        cells.add(result.ending() == null ? "-" : result.ending().describe());
        cells.add(result.ending() == null ? "-" : Integer.toString(result.ending().exitCode()));
        return cells;
    }

    /** The lines under the table: what each attack saw beyond the columns, and what the server said. */
    static List<String> details(HostileResult result) {
        List<String> lines = new ArrayList<>();
        String label = result.attack() + " / " + result.transport() + ": ";
        if (!result.findings().isEmpty()) {
            lines.add(label + result.findings());
        }
        if (result.witness() != null) {
            Witness.Result witness = result.witness();
            lines.add(label + "witness: " + witness.answered() + " PONGs"
                    + (witness.unansweredMicros() > witness.worstMicros() ? ", the last PING unanswered after "
                    + milliseconds(witness.unansweredMicros()) : "")
                    + (witness.failure() == null ? "" : ", ended: " + witness.failure()));
        }
        if (result.outOfMemoryLines() > 0 || result.stoppedByErrorLines() > 0) {
            lines.add(label + "server output: " + result.outOfMemoryLines() + " lines naming OutOfMemoryError, "
                    + result.stoppedByErrorLines() + " saying an I/O thread stopped by an error");
        }
        lines.add(label + "shutdown report: " + (result.shutdownReport() == null ? "none printed"
                : result.shutdownReport()));
        if (result.problem() != null) {
            lines.add(label + "went wrong: " + result.problem());
        }
        return lines;
    }

    static String text(List<HostileResult> results) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(COLUMNS);
        results.forEach(result -> rows.add(cells(result)));
        int[] widths = new int[COLUMNS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                text.append(String.format(Locale.ROOT, i == 0 ? "%-" + widths[i] + "s" : "  %-" + widths[i] + "s",
                        row.get(i)));
            }
            text.append(System.lineSeparator());
        }
        results.forEach(result -> details(result).forEach(line -> text.append(line).append(System.lineSeparator())));
        return text.toString();
    }

    /** What the columns mean, for a reader of the notes who has not read this tool. */
    static final String LEGEND = """
            - RSS before: the server's VmRSS a second after its start, before the witness and the attackers; peak: the \
            highest of the readings every 100 ms from the attack's start to the "after" reading; after: once the \
            attackers have closed every connection and the settle time has passed. fds: entries of /proc/PID/fd.
            - witness: one well-behaved connection sending a PING every 50 ms, one in flight, throughout the attack; \
            "≥ T (no answer)" is a PING still unanswered after T when the witness stopped; p99 is over the PINGs \
            answered.
            - serving at end: a fresh connection's TEXT echoed within 5 s, after the attackers left.
            - SIGTERM: from the signal to the process's exit; SIGKILL after the bound. exit: its exit code (137: \
            killed). flood-then-term gets its SIGTERM during the flood, so it has no "after" reading.
            """;

    static String markdown(List<HostileResult> results) {
        StringBuilder text = new StringBuilder();
        text.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
        text.append("|").append("---|".repeat(COLUMNS.size())).append('\n');
        for (HostileResult result : results) {
            text.append("| ").append(String.join(" | ", cells(result).stream().map(HostileReport::escape).toList()))
                    .append(" |\n");
        }
        text.append('\n');
        for (HostileResult result : results) {
            details(result).forEach(line -> text.append("- ").append(escape(line)).append('\n'));
        }
        text.append("\nHow to read it:\n\n").append(LEGEND);
        return text.toString();
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }

    private static String worst(Witness.Result witness) {
        if (witness == null) {
            return "-";
        }
        if (witness.unansweredMicros() > witness.worstMicros()) {
            return "≥ " + milliseconds(witness.unansweredMicros()) + " (no answer)";
        }
        return witness.answered() == 0 ? "-" : milliseconds(witness.worstMicros());
    }

    static String mebibytes(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    private static String count(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }

    static String milliseconds(long micros) {
        return micros >= 10_000_000 ? String.format(Locale.ROOT, "%.1f s", micros / 1e6)
                : String.format(Locale.ROOT, "%.1f ms", micros / 1e3);
    }
}
