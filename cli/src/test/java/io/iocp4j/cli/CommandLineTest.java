package io.iocp4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
                {"--workers", "-1"}, {"--workers", "1025"}, {"--ordering", "sideways"}, {"extra"}};
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
    void refusesOutOfRangeClientFlags() {
        assertEquals(Main.BAD_USAGE, Main.run("client", "--port", "0"));
        assertEquals(Main.BAD_USAGE, Main.run("client", "--ping", "-3"));
        assertEquals(Main.BAD_USAGE, Main.run("client", "--transport", "x"));
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
