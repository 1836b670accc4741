package io.iocp4j.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Getting started is the user's project in it/user-project, word for word: that project is compiled and
 * run by the build (UserProjectIT), so the README cannot drift from code that works.
 */
class ReadmeGettingStartedTest {
    private static final Path ROOT = Path.of(System.getProperty("iocp4j.root"));
    private static final Path USER_PROJECT = ROOT.resolve("it/user-project");
    private static final String VERSION = System.getProperty("iocp4j.version");

    @Test
    void theJavaBlockIsTheUserProjectsEchoExample() throws IOException {
        String example = Files.readString(USER_PROJECT.resolve("src/main/java/example/EchoExample.java"));
        assertEquals(example, block(gettingStarted(), "java"));
    }

    @Test
    void theCodecsAndStagesBlockIsCutFromTheUserProjectsLineServer() throws IOException {
        String example = Files.readString(USER_PROJECT.resolve("src/main/java/example/LineServerExample.java"));
        String block = block(section("### Codecs and stages"), "java");
        String indented = block.lines().map(line -> line.isEmpty() ? line : "    " + line)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertTrue(example.contains(indented), "the README's pipeline example is not LineServerExample's code");
    }

    @Test
    void theMavenBlockIsWhatTheUserProjectDeclaresWithThisVersion() throws IOException {
        String maven = block(gettingStarted(), "xml");
        List<String> pom = trimmedLines(Files.readString(USER_PROJECT.resolve("pom.xml")));
        List<String> snippet = trimmedLines(maven).stream().filter(line -> !line.isEmpty()).toList();
        assertTrue(containsInOrder(pom, snippet), "the user project's pom.xml lacks the README's Maven lines");
        assertTrue(maven.contains("<version>" + VERSION + "</version>"), "the README's BOM is not " + VERSION);
    }

    @Test
    void theGradleBlockNamesTheSameArtifactsAndVersion() throws IOException {
        String gradle = block(gettingStarted(), "kotlin");
        assertTrue(gradle.contains("platform(\"io.iocp4j:iocp4j-bom:" + VERSION + "\")"), gradle);
        for (String artifact : List.of("iocp4j-core", "iocp4j-transport-uring", "iocp4j-transport-nio2")) {
            assertTrue(block(gettingStarted(), "xml").contains("<artifactId>" + artifact + "</artifactId>"), artifact);
            assertTrue(gradle.contains("\"io.iocp4j:" + artifact + "\""), artifact);
        }
    }

    private static String gettingStarted() throws IOException {
        return section("## Getting started");
    }

    /** From the heading to the next heading of the same or a higher level. */
    private static String section(String heading) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README.md has no section " + heading);
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = readme.indexOf("\n" + level, start + 1);
        int higher = level.length() > 3 ? readme.indexOf("\n## ", start + 1) : -1;
        if (higher >= 0 && (end < 0 || higher < end)) {
            end = higher;
        }
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The text of the section's only fenced block of {@code language}. */
    private static String block(String section, String language) {
        Matcher matcher = Pattern.compile("\n```" + language + "\n(.*?)```\n", Pattern.DOTALL).matcher(section);
        assertTrue(matcher.find(), "no " + language + " block in the section");
        String text = matcher.group(1);
        assertTrue(!matcher.find(), "more than one " + language + " block in the section");
        return text;
    }

    private static List<String> trimmedLines(String text) {
        return text.lines().map(String::strip).toList();
    }

    /** Whether every line of {@code wanted} appears in {@code lines}, in the same order, each after the previous. */
    private static boolean containsInOrder(List<String> lines, List<String> wanted) {
        int next = 0;
        for (String line : lines) {
            if (next < wanted.size() && line.equals(wanted.get(next))) {
                next++;
            }
        }
        return next == wanted.size();
    }
}
