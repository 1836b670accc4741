package io.iocp4j.cli;

import io.iocp4j.Connection;
import io.iocp4j.ForwardingHandler;
import io.iocp4j.Handler;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;

/**
 * A forwarding handler of the demo program, for the calls it adds something to. It takes part in file transfers
 * as the handler it wraps does: file decisions go to it when it is a {@link FileHandler}, and
 * are refusals otherwise.
 */
abstract class HandlerDecorator extends ForwardingHandler implements FileHandler {
    HandlerDecorator(Handler inner) {
        super(inner);
    }

    @Override
    public FileDecision onFileOffer(Connection connection, FileOffer offer) {
        return inner() instanceof FileHandler files ? files.onFileOffer(connection, offer)
                : FileDecision.reject(FileRejectCode.IO_ERROR, "this side stores no files");
    }

    @Override
    public FileDecision onFileRequest(Connection connection, String name) {
        return inner() instanceof FileHandler files ? files.onFileRequest(connection, name)
                : FileDecision.reject(FileRejectCode.NOT_FOUND, "this side serves no files");
    }

    @Override
    public void onFileStarted(Connection connection, FileTransfer transfer) {
        if (inner() instanceof FileHandler files) {
            files.onFileStarted(connection, transfer);
        }
    }

    @Override
    public void onFileReceived(Connection connection, FileOffer offer, FileTransferException error) {
        if (inner() instanceof FileHandler files) {
            files.onFileReceived(connection, offer, error);
        }
    }
}
