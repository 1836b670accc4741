package io.iocp4j.cli;

import io.iocp4j.AttributeKey;
import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The chat port: the classic line-based example. Each line a client sends goes to every other client, prefixed by
 * the sender's name; {@code /nick NAME} sets the name, {@code /who} lists who is here, {@code /quit} leaves. The
 * server's own lines begin with {@code "* "}. A line longer than the port's limit ends only its sender.
 */
final class ChatRoom implements Handler {
    static final AttributeKey<String> NAME = AttributeKey.of("chat name", String.class);
    /** Names are short and plain, so that every line stays readable: letters, digits, and {@code - _ .}. */
    private static final Pattern VALID_NAME = Pattern.compile("[\\p{L}\\p{N}_.-]{1,32}");

    private final int maxLine;
    private final Map<Long, Connection> members = new ConcurrentHashMap<>();
    /** Names in use, folded to lower case, each to its holder's id: two members never share one. */
    private final Map<String, Long> names = new ConcurrentHashMap<>();

    ChatRoom(int maxLine) {
        this.maxLine = maxLine;
    }

    @Override
    public void onConnect(Connection connection) {
        String name = "guest-" + connection.id();
        names.put(fold(name), connection.id());
        connection.setAttr(NAME, name);
        members.put(connection.id(), connection);
        say(connection, "* welcome, " + name + "; /nick NAME to change your name, /who to see who is here, "
                + "/quit to leave");
        announce(connection, "* " + name + " joined");
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        String line;
        try {
            line = strictUtf8().decode(packet).toString();
        } catch (CharacterCodingException e) {
            say(connection, "* that line was not UTF-8; nobody saw it");
            return;
        }
        if (line.startsWith("/")) {
            command(connection, line);
        } else {
            announce(connection, connection.attr(NAME) + ": " + line);
        }
    }

    private void command(Connection connection, String line) {
        String[] words = line.strip().split("\\s+", 2);
        switch (words[0]) {
            case "/nick" -> rename(connection, words.length > 1 ? words[1].strip() : "");
            case "/who" -> say(connection, "* here: " + who());
            case "/quit" -> {
                say(connection, "* bye");
                connection.closeAfterFlush();
            }
            default -> say(connection, "* unknown command " + words[0] + "; try /nick NAME, /who or /quit");
        }
    }

    /** The members' names, sorted, as many as fit one line. */
    private String who() {
        java.util.List<String> all = members.values().stream().map(member -> member.attr(NAME))
                .filter(name -> name != null).sorted().toList();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            if (line.length() + all.get(i).length() + 20 > maxLine) {
                return line.append(" and ").append(all.size() - i).append(" more").toString();
            }
            line.append(i == 0 ? "" : ", ").append(all.get(i));
        }
        return line.toString();
    }

    private void rename(Connection connection, String wanted) {
        if (!VALID_NAME.matcher(wanted).matches()) {
            say(connection, "* a name is 1 to 32 letters, digits, '-', '_' or '.'");
            return;
        }
        String old = connection.attr(NAME);
        if (wanted.equals(old)) {
            return;
        }
        Long holder = names.putIfAbsent(fold(wanted), connection.id());
        if (holder != null && holder != connection.id()) {
            say(connection, "* " + wanted + " is taken");
            return;
        }
        names.remove(fold(old), connection.id());
        connection.setAttr(NAME, wanted);
        announce(connection, "* " + old + " is now " + wanted);
        say(connection, "* you are now " + wanted);
    }

    @Override
    public void onFrameError(Connection connection, FrameError error) {
        say(connection, "* line longer than " + maxLine + " bytes; closing");
        connection.closeAfterFlush();
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
        if (members.remove(connection.id()) == null) {
            return;
        }
        String name = connection.attr(NAME);
        names.remove(fold(name), connection.id());
        announce(connection, "* " + name + " left");
    }

    /** Sends {@code line} to every member but {@code sender}. */
    private void announce(Connection sender, String line) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(line);
        for (Connection member : members.values()) {
            if (member.id() != sender.id()) {
                member.send(bytes);
            }
        }
    }

    private void say(Connection connection, String line) {
        connection.send(StandardCharsets.UTF_8.encode(CharBuffer.wrap(line)));
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
