package io.iocp4j.file;

import java.nio.channels.FileChannel;

/** A file opened for sending: what its FILE_OFFER says, and the channel its bytes are read from. */
public record FileSource(FileOffer offer, FileChannel channel) {
}
