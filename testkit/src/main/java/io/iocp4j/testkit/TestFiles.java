package io.iocp4j.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/** Files for transfer tests: written quickly with content that differs in every mebibyte, and their checksums. */
public final class TestFiles {
    private static final int BLOCK = 1 << 20;

    private TestFiles() {
    }

    /** A file of {@code size} bytes; {@code seed} picks its content. */
    public static Path create(Path file, long size, long seed) throws IOException {
        byte[] block = new byte[BLOCK];
        new Random(seed).nextBytes(block);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(block);
            long written = 0;
            long index = 0;
            while (written < size) {
                // Each block begins with its index, so a block sent twice or out of place changes the checksum.
                buffer.clear().putLong(0, index++).putLong(8, seed);
                buffer.limit((int) Math.min(BLOCK, size - written));
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer);
                }
            }
        }
        return file;
    }

    public static byte[] sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer.clear()) >= 0) {
                digest.update(buffer.flip());
            }
        }
        return digest.digest();
    }

    public static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    /** The first {@code length} bytes of the file. */
    public static byte[] head(Path file, int length) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(length);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
