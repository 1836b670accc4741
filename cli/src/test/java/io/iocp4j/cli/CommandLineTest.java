package io.iocp4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command lines that are refused before anything starts, run in this JVM. */
class CommandLineTest {
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private PrintStream realErr;
    private PrintStream realOut;

    @BeforeEach
    void captureOutput() {
        realErr = System.err;
        realOut = System.out;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setErr(realErr);
        System.setOut(realOut);
    }

    @Test
    void refusesOutOfRangeServerFlagsWithExitCodeTwoAndAHint() {
        String[][] lines = {
                {"--port", "65536"}, {"--port", "-1"}, {"--raw-echo-port", "70000"}, {"--max-frame", "0"},
                {"--max-frame", "2147483648"}, {"--io-threads", "0"}, {"--io-threads", "257"},
                {"--port", "7005", "--raw-echo-port", "7005"}, {"--transport", "carrier-pigeon"}, {"--port"},
                {"--workers", "-1"}, {"--workers", "1025"}, {"--ordering", "sideways"}, {"extra"},
                {"--balancing", "sideways"}, {"--rebalance-interval", "0.1"}, {"--rebalance-interval", "-1"},
                {"--rebalance-interval", "often"},
                {"--max-connections", "-1"}, {"--max-per-address", "-1"}, {"--idle-timeout", "-1"},
                {"--write-timeout", "31536001"}, {"--idle-timeout", "soon"}, {"--ban", "10.0.0.999"},
                {"--ban", "example.com"}, {"--ban", "10.0.0.0/33"}, {"--ban-file", "/nonexistent/iocp4j-bans"},
                {"--max-partial-files", "0"}, {"--max-partial-bytes", "0"}, {"--partial-ttl", "-1"},
                {"--partial-ttl", "31536001"}, {"--max-partial-bytes", "lots"}};
        for (String[] flags : lines) {
            errors.reset();
            String[] args = new String[flags.length + 1];
            args[0] = "server";
            System.arraycopy(flags, 0, args, 1, flags.length);
            assertEquals(Main.BAD_USAGE, Main.run(args), String.join(" ", flags));
            String said = errors.toString(StandardCharsets.UTF_8);
            assertTrue(said.startsWith("iocp4j: "), said);
            assertTrue(said.contains("Try 'iocp4j server --help'"), said);
        }
    }

    @Test
    void namesTheRuleABadPortBreaks() {
        assertEquals(Main.BAD_USAGE, Main.run("server", "--io-threads", "300"));
        assertTrue(errors.toString(StandardCharsets.UTF_8)
                .startsWith("iocp4j: --io-threads must be between 1 and 256, not 300\n"));
    }

    @Test
    void namesTheBadBanAndTheBadLineOfABanFile(@TempDir Path directory) throws IOException {
        assertEquals(Main.BAD_USAGE, Main.run("server", "--ban", "127.0.0.1", "--ban", "10.1.2.3/8"));
        assertTrue(errors.toString(StandardCharsets.UTF_8).startsWith("iocp4j: --ban '10.1.2.3/8': bits are set "
                + "past the /8 prefix; the range is 10.0.0.0/8\n"), errors.toString(StandardCharsets.UTF_8));
        errors.reset();
        Path bans = Files.writeString(directory.resolve("bans"), "10.0.0.1\n\n# ok\n::1/200\n");
        assertEquals(Main.BAD_USAGE, Main.run("server", "--ban-file", bans.toString()));
        assertTrue(errors.toString(StandardCharsets.UTF_8).startsWith("iocp4j: --ban-file " + bans + " line 4: "
                + "'::1/200': prefix length 200 is over 128"), errors.toString(StandardCharsets.UTF_8));
        errors.reset();
        assertEquals(Main.BAD_USAGE, Main.run("server", "--ban-file", directory.resolve("none").toString()));
        assertTrue(errors.toString(StandardCharsets.UTF_8).contains("cannot read it: no such file"));
    }

    @Test
    void refusesOutOfRangeClientFlags() {
        assertEquals(Main.BAD_USAGE, Main.run("client", "--port", "0"));
        assertEquals(Main.BAD_USAGE, Main.run("client", "--ping", "-3"));
        assertEquals(Main.BAD_USAGE, Main.run("client", "--transport", "x"));
    }

    @Test
    void listsTheTransportsInLowerCaseAsTheHelpDoes() {
        for (String command : new String[]{"server", "client", "soak"}) {
            errors.reset();
            assertEquals(Main.BAD_USAGE, Main.run(command, "--transport", "foo"));
            assertTrue(errors.toString(StandardCharsets.UTF_8).contains("'foo' is not a transport: auto, uring, nio2"),
                    errors.toString(StandardCharsets.UTF_8));
        }
        output.reset();
        assertEquals(Main.OK, Main.run("server", "--help"));
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("auto, nio2 or uring"));
    }

    @Test
    void refusesAMissingOrUnknownCommand() {
        assertEquals(Main.BAD_USAGE, Main.run());
        assertEquals(Main.BAD_USAGE, Main.run("serve"));
    }

    @Test
    void printsHelpAndVersion() {
        assertEquals(Main.OK, Main.run("--help"));
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("server"));
        output.reset();
        assertEquals(Main.OK, Main.run("server", "--help"));
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("--raw-echo-port"));
        output.reset();
        assertEquals(Main.OK, Main.run("--version"));
        assertTrue(output.toString(StandardCharsets.UTF_8).startsWith("iocp4j "));
    }
}
