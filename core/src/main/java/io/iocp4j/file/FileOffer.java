package io.iocp4j.file;

import java.util.Arrays;
import java.util.HexFormat;

/** What a FILE_OFFER announces: the file's name, its size in bytes, and the SHA-256 of the whole file. */
public record FileOffer(String name, long size, byte[] sha256) {
    public FileOffer {
        if (name == null || size < 0 || sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("name=" + name + " size=" + size + " sha256="
                    + (sha256 == null ? null : sha256.length + " bytes"));
        }
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    boolean sameContent(byte[] digest) {
        return Arrays.equals(sha256, digest);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FileOffer o && o.name.equals(name) && o.size == size
                && Arrays.equals(o.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return "FileOffer[name=" + name + ", size=" + size + ", sha256=" + sha256Hex() + "]";
    }
}
