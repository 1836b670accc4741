package io.iocp4j.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds and tests user-project/ with Maven running on this JDK 25, as a user would, against a repository holding
 * only the artifacts this build made. Plugins and JUnit are read from the build's own repository, so the run needs
 * no network once the build itself had what it needed.
 */
class UserProjectIT {
    private static final Path ROOT = Path.of(System.getProperty("iocp4j.root"));

    @Test
    @Timeout(300)
    void aProjectThatImportsTheBomBuildsAndItsEchoTestPasses() throws Exception {
        Path work = Path.of(System.getProperty("iocp4j.it.work"));
        deleteTree(work);
        copyTree(ROOT.resolve("it/user-project"), work);
        // Maven looks upward for .mvn to find the project's root; this one stops it at the user's project, so this
        // build's own .mvn settings do not apply.
        Files.createDirectories(work.resolve(".mvn"));

        Path log = work.resolveSibling("user-project.log");
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-B",
                "-Dmaven.repo.local=" + System.getProperty("iocp4j.it.repository"),
                "-Dmaven.repo.local.tail=" + System.getProperty("iocp4j.it.tailRepository"),
                "verify")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.remove("MAVEN_ARGS");
        environment.remove("MAVEN_OPTS");
        Process maven = builder.start();
        try {
            assertTrue(maven.waitFor(240, TimeUnit.SECONDS), () -> "the user's build did not finish\n" + tail(log));
            assertEquals(0, maven.exitValue(), () -> tail(log));
        } finally {
            maven.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(output.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), () -> tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
