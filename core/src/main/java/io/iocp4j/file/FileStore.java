package io.iocp4j.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * One directory that stores uploads and serves downloads, as docs/protocol.md asks: names map to locale-free disk names
 * ({@link DiskNames}) that are plain children of the directory, symbolic links are never followed, an upload is
 * written to a partial file and renamed to its final name only once its SHA-256 matched, a broken upload's partial
 * file is kept for a resume of the same name, size and checksum, and one name is received by one connection at a
 * time. Thread-safe: one store serves every connection.
 */
public final class FileStore {
    private static final String PARTIAL_PREFIX = PartialUploads.PREFIX;
    private static final Duration MIN_SWEEP = Duration.ofMillis(100);
    private static final Duration MAX_SWEEP = Duration.ofMinutes(1);
    private static final int HASH_CHUNK = 1 << 20;
    /**
     * From this many bytes to come, a transfer is hashed on a thread of its own beside the receive; below it, the
     * thread start and the hand-over cost more than hashing on the way. The system property
     * {@code iocp4j.file.hashAsideFrom} (bytes), read when a store is made, sets another bound.
     */
    static final long HASH_ASIDE_FROM = 2 << 20;
    /**
     * Hashes running aside at once, in the whole process: one per CPU beyond the first. Reading the bytes back is a
     * copy more, which pays off only when the hash runs on a core that would otherwise wait; past these, transfers
     * hash on the way.
     */
    private static final Semaphore SPARE_CORES =
            new Semaphore(Math.max(0, Runtime.getRuntime().availableProcessors() - 1));

    private final Path directory;
    private final long maxFileSize;
    /** Disk names being received, so a second upload of the same name gets BUSY. */
    private final Set<String> receiving = ConcurrentHashMap.newKeySet();
    /** Checksums of served files, so a file asked for again is not read twice; keyed by disk name. */
    private final Map<String, KnownDigest> digests = new ConcurrentHashMap<>();

    private final Opener opener;
    private final long hashAsideFrom;
    private final Semaphore spareCores;

    private final PartialUploads partials;

    private record KnownDigest(long size, long modified, Object fileKey, byte[] sha256) {
    }

    /**
     * How the store opens the files it reads and writes. The default is {@link FileChannel#open(Path, OpenOption...)};
     * another one can wrap the channel, to count or to inject disk errors.
     */
    @FunctionalInterface
    public interface Opener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    /** Files over {@code maxFileSize} bytes are rejected with TOO_LARGE; partial files have the default bounds. */
    public FileStore(Path directory, long maxFileSize) throws IOException {
        this(builder(directory).maxFileSize(maxFileSize));
    }

    /** As {@link #FileStore(Path, long)}, with the files opened by {@code opener}. */
    public FileStore(Path directory, long maxFileSize, Opener opener) throws IOException {
        this(builder(directory).maxFileSize(maxFileSize).opener(opener));
    }

    /**
     * As {@link #FileStore(Path, long, Opener)}, hashing transfers of {@code hashAsideFrom} bytes or more aside while
     * {@code spareCores} has a permit.
     */
    FileStore(Path directory, long maxFileSize, Opener opener, long hashAsideFrom, Semaphore spareCores)
            throws IOException {
        this(builder(directory).maxFileSize(maxFileSize).opener(opener).hashAside(hashAsideFrom, spareCores));
    }

    private FileStore(Builder builder) throws IOException {
        this.hashAsideFrom = builder.hashAsideFrom;
        this.spareCores = builder.spareCores;
        this.opener = builder.opener;
        if (!Files.isDirectory(builder.directory)) {
            throw new NoSuchFileException(builder.directory.toString(), null, "not a directory");
        }
        this.directory = builder.directory.toAbsolutePath();
        this.maxFileSize = builder.maxFileSize;
        long ttl = builder.partialTtl.toNanos();
        this.partials = new PartialUploads(directory, builder.maxPartialFiles, builder.maxPartialBytes, ttl,
                builder.clock);
        if (ttl > 0) {
            PartialSweeper.every(builder.sweepInterval != null ? builder.sweepInterval
                    : Duration.ofNanos(Math.clamp(ttl / 4, MIN_SWEEP.toNanos(), MAX_SWEEP.toNanos())), partials);
        }
    }

    /** A store of {@code directory}, configured by the builder's options. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** What the partial upload files hold now, and how many were evicted or expired so far. */
    public PartialUploadStats partialUploads() {
        return partials.stats();
    }

    public Path directory() {
        return directory;
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    /** Where a name is (or would be) stored; a plain child of the directory. */
    public Path pathOf(String name) {
        return directory.resolve(DiskNames.of(name));
    }

    /**
     * Begins receiving {@code offer}: checks the limit and that no other connection receives the name, opens the
     * partial file, and hashes what a broken transfer left of the same file. May block (hashing); call it off the
     * I/O thread. The result must end in {@link FileReception#finish()} or {@link FileReception#abandon()}.
     */
    public FileReception receive(FileOffer offer) throws FileTransferException {
        if (FileNames.validate(ByteBuffer.wrap(offer.name().getBytes(StandardCharsets.UTF_8))) == null) {
            throw rejection(FileRejectCode.BAD_NAME, "bad file name");
        }
        if (offer.size() > maxFileSize) {
            throw rejection(FileRejectCode.TOO_LARGE, "file of " + offer.size() + " bytes; the limit is "
                    + maxFileSize);
        }
        String diskName = DiskNames.of(offer.name());
        if (!receiving.add(diskName)) {
            throw rejection(FileRejectCode.BUSY, "this name is being transferred on another connection");
        }
        PartialUploads.Claim claim = null;
        try {
            String namePrefix = PARTIAL_PREFIX + DiskNames.sha256Hex(diskName.getBytes(StandardCharsets.UTF_8))
                    .substring(0, 32) + "-";
            Path partial = directory.resolve(namePrefix + offer.size() + "-" + offer.sha256Hex());
            claim = partials.claim(partial, namePrefix, offer.size());
            FileChannel channel = opener.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            try {
                long held = Math.min(channel.size(), offer.size());
                channel.truncate(held);
                MessageDigest digest = DiskNames.sha256();
                hash(channel, held, digest);
                channel.position(held);
                return new FileReception(this, offer, diskName, partial, claim, channel, digest, held,
                        hashAsideFrom, spareCores);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            unclaim(claim, diskName);
            throw rejection(FileRejectCode.IO_ERROR, "cannot store the file: " + e.getMessage());
        } catch (FileTransferException | RuntimeException e) {
            unclaim(claim, diskName);
            throw e;
        }
    }

    /** An offer that will not be received gives back its name and, if it took one, its partial file. */
    private void unclaim(PartialUploads.Claim claim, String diskName) {
        if (claim != null) {
            claim.release();
        }
        receiving.remove(diskName);
    }

    /**
     * Opens a stored file for sending, with its size and checksum (hashed once per version of the file). May block;
     * call it off the I/O thread. The caller closes the channel.
     */
    public FileSource open(String name) throws FileTransferException {
        if (FileNames.validate(ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8))) == null) {
            throw rejection(FileRejectCode.BAD_NAME, "bad file name");
        }
        String diskName = DiskNames.of(name);
        Path path = directory.resolve(diskName);
        FileChannel channel;
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw rejection(FileRejectCode.NOT_FOUND, "no such file");
            }
            channel = opener.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw rejection(FileRejectCode.NOT_FOUND, "no such file");
        } catch (IOException e) {
            throw rejection(FileRejectCode.IO_ERROR, "cannot read the file: " + e.getMessage());
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            long size = channel.size();
            long modified = attributes.lastModifiedTime().toMillis();
            KnownDigest known = digests.get(diskName);
            byte[] sha256;
            if (known != null && known.size == size && known.modified == modified
                    && java.util.Objects.equals(known.fileKey, attributes.fileKey())) {
                sha256 = known.sha256;
            } else {
                MessageDigest digest = DiskNames.sha256();
                hash(channel, size, digest);
                sha256 = digest.digest();
                digests.put(diskName, new KnownDigest(size, modified, attributes.fileKey(), sha256));
            }
            return new FileSource(new FileOffer(name, size, sha256), channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw rejection(FileRejectCode.IO_ERROR, "cannot read the file: " + e.getMessage());
        }
    }

    /** The checksum of the first {@code length} bytes of {@code channel}, read from position 0. */
    static void hash(FileChannel channel, long length, MessageDigest digest) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(HASH_CHUNK, Math.max(length, 1)));
        long position = 0;
        while (position < length) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), length - position));
            int read = channel.read(chunk, position);
            if (read < 0) {
                throw new IOException("file ended at " + position + " of " + length + " bytes");
            }
            position += read;
            digest.update(chunk.flip());
        }
    }

    /** A file just stored under {@code path} with this checksum: a download of it need not hash it again. */
    void remember(String diskName, Path path, byte[] sha256) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            digests.put(diskName, new KnownDigest(attributes.size(), attributes.lastModifiedTime().toMillis(),
                    attributes.fileKey(), sha256.clone()));
        } catch (IOException e) {
            // Hashed again when it is asked for.
            digests.remove(diskName);
        }
    }

    void ended(String diskName) {
        receiving.remove(diskName);
    }

    static FileTransferException rejection(int code, String reason) {
        return new FileTransferException(FileTransferException.Kind.REJECTED, code, reason);
    }

    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written through it that a close could lose.
        }
    }
    /** The options of a {@link FileStore}; every one has a default. */
    public static final class Builder {
        private final Path directory;
        private long maxFileSize = Long.MAX_VALUE;
        private Opener opener = FileChannel::open;
        private int maxPartialFiles = 1_000;
        private long maxPartialBytes = 1L << 30;
        private Duration partialTtl = Duration.ofHours(24);
        private LongSupplier clock = System::nanoTime;
        private Duration sweepInterval;
        private long hashAsideFrom = Long.getLong("iocp4j.file.hashAsideFrom", HASH_ASIDE_FROM);
        private Semaphore spareCores = SPARE_CORES;

        private Builder(Path directory) {
            this.directory = java.util.Objects.requireNonNull(directory, "directory");
        }

        /** Offers of more bytes are rejected with TOO_LARGE (default: no limit). */
        public Builder maxFileSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxFileSize=" + bytes);
            }
            this.maxFileSize = bytes;
            return this;
        }

        /** How the store opens its files (default {@link FileChannel#open(Path, OpenOption...)}). */
        public Builder opener(Opener opener) {
            this.opener = java.util.Objects.requireNonNull(opener, "opener");
            return this;
        }

        /**
         * Partial upload files kept at once, those of transfers in progress included (default 1,000). An offer
         * that needs one more deletes the oldest idle one; when every one is in a transfer, it gets IO_ERROR.
         */
        public Builder maxPartialFiles(int files) {
            if (files < 1) {
                throw new IllegalArgumentException("maxPartialFiles=" + files);
            }
            this.maxPartialFiles = files;
            return this;
        }

        /**
         * Bytes all partial upload files may hold together (default 1 GiB), a transfer in progress counted at the
         * size it will reach. An offer that needs room deletes the oldest idle files; an offer larger than this gets
         * TOO_LARGE, and one that transfers in progress leave no room for gets IO_ERROR.
         */
        public Builder maxPartialBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxPartialBytes=" + bytes);
            }
            this.maxPartialBytes = bytes;
            return this;
        }

        /**
         * How long a partial file no transfer holds is kept for a resume after its last write (default 24 h;
         * {@link Duration#ZERO}: for ever). Checked on each offer and now and then on a shared daemon thread.
         */
        public Builder partialTtl(Duration ttl) {
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("partialTtl=" + ttl);
            }
            this.partialTtl = ttl;
            return this;
        }

        /** The clock partial files age on, in nanoseconds (default {@link System#nanoTime()}); for tests. */
        public Builder clock(LongSupplier nanoClock) {
            this.clock = java.util.Objects.requireNonNull(nanoClock, "clock");
            return this;
        }

        /** How often idle partial files are checked for their age without offers; for tests. */
        Builder sweepInterval(Duration interval) {
            this.sweepInterval = interval;
            return this;
        }

        Builder hashAside(long from, Semaphore cores) {
            this.hashAsideFrom = from;
            this.spareCores = cores;
            return this;
        }

        public FileStore build() throws IOException {
            return new FileStore(this);
        }
    }
}
