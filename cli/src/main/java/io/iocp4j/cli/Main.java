package io.iocp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code iocp4j} program. Exit codes: 0 done, 1 the work failed (port in use, connection refused, server
 * error), 2 the command line was wrong.
 */
@Command(name = "iocp4j", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class,
        description = "Completion-port TCP server and client: the demo of the iocp4j wire protocol.",
        subcommands = {ServerCommand.class, ClientCommand.class, SendCommand.class, GetCommand.class,
                SoakCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    @Spec
    CommandSpec spec;

    /** Acted on before the command runs (see {@link #quietIfAsked}); every command inherits it. */
    @Option(names = "--quiet", scope = ScopeType.INHERIT,
            description = "Print no informational lines on stderr (the transport chosen); warnings and errors still.")
    boolean quiet;

    public static void main(String[] args) {
        // Library log records (the transport AUTO picked, warnings) as one line each, in the program's own voice.
        System.setProperty("java.util.logging.SimpleFormatter.format", "iocp4j: %5$s%6$s%n");
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; never exits the JVM itself. */
    static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionStrategy(parsed -> {
                    quietIfAsked(parsed);
                    return new CommandLine.RunLast().execute(parsed);
                })
                .setParameterExceptionHandler(Main::badUsage)
                .setExecutionExceptionHandler((error, commandLine, parsed) -> {
                    System.err.println("iocp4j: " + Failures.describe(error));
                    return FAILED;
                })
                .execute(args);
    }

    /**
     * With --quiet on any command of the line, the library's log records below WARNING are dropped: the transport
     * line is one, logged when the first server or client starts, so this must happen before the command runs.
     */
    private static void quietIfAsked(ParseResult parsed) {
        for (CommandLine command : parsed.asCommandLineList()) {
            if (command.getParseResult().hasMatchedOption("--quiet")) {
                // The root logger is held by the LogManager, so its level stays set.
                Logger.getLogger("").setLevel(Level.WARNING);
                return;
            }
        }
    }

    private static int badUsage(ParameterException error, String[] args) {
        System.err.println("iocp4j: " + error.getMessage());
        System.err.println("Try '" + error.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
        return BAD_USAGE;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: server, client, send, get, soak or help");
    }
}
