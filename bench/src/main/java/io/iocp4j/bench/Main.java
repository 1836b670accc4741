package io.iocp4j.bench;

import java.util.Arrays;
import java.util.List;

/** Runs the benchmark named first with the options that follow. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        Arguments options;
        try {
            options = new Arguments(Arrays.asList(args).subList(1, args.length));
            switch (args[0]) {
                case "ordered-replies" -> OrderedRepliesThroughput.main(options);
                case "file-transfer" -> FileTransferThroughput.main(options);
                default -> {
                    System.err.println("iocp4j-bench: no benchmark named " + args[0]);
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("iocp4j-bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void usage() {
        System.err.println(String.join(System.lineSeparator(), List.of(
                "usage: bin/iocp4j-bench BENCHMARK [--option value ...]",
                "  ordered-replies   one connection's throughput, ORDERED_REPLIES, by worker count",
                "  file-transfer     a large file up and down on each transport, against iperf3")));
    }
}
