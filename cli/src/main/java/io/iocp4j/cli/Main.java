package io.iocp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code iocp4j} program. */
@Command(name = "iocp4j", mixinStandardHelpOptions = true, version = "iocp4j 0.1.0",
        description = "Completion-port TCP server and client: the demo of the iocp4j wire protocol.",
        subcommands = {ServerCommand.class, ClientCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Library log records as one line each, in the program's own voice.
        System.setProperty("java.util.logging.SimpleFormatter.format", "iocp4j: %5$s%6$s%n");
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Main::badUsage)
                .setExecutionExceptionHandler((error, line, parsed) -> {
                    System.err.println("iocp4j: " + Failures.describe(error));
                    return 1;
                });
        return commandLine.execute(args);
    }

    private static int badUsage(CommandLine.ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        System.err.println("iocp4j: " + error.getMessage());
        System.err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the flags.");
        return 2;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
