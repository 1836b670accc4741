package io.iocp4j.testkit;

import io.iocp4j.Connection;
import io.iocp4j.ForwardingHandler;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * A file handler for tests: takes offers into, and serves requests from, one store; records each received file's
 * outcome and each started incoming transfer; everything else goes to a {@link LedgerHandler}.
 */
public final class LedgerFileHandler extends ForwardingHandler implements FileHandler {
    /** One incoming file that ended: its offer and, if it was not stored, why. */
    public record Received(FileOffer offer, FileTransferException error) {
    }

    private final FileStore store;
    public final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<FileTransfer> started = new LinkedBlockingQueue<>();

    public LedgerFileHandler(LedgerHandler packets, FileStore store) {
        super(packets);
        this.store = store;
    }

    @Override
    public FileDecision onFileOffer(Connection connection, FileOffer offer) {
        return FileDecision.use(store);
    }

    @Override
    public FileDecision onFileRequest(Connection connection, String name) {
        return FileDecision.use(store);
    }

    @Override
    public void onFileStarted(Connection connection, FileTransfer transfer) {
        started.add(transfer);
    }

    @Override
    public void onFileReceived(Connection connection, FileOffer offer, FileTransferException error) {
        received.add(new Received(offer, error));
    }
}
