package io.iocp4j.cli;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;
import io.iocp4j.frame.FrameError;

import java.nio.ByteBuffer;

/**
 * A handler that passes every call to another; subclasses override the calls they add something to. It takes part
 * in file transfers as the handler it wraps does: file decisions go to it when it is a {@link FileHandler}, and
 * are refusals otherwise.
 */
abstract class HandlerDecorator implements FileHandler {
    private final Handler inner;

    HandlerDecorator(Handler inner) {
        this.inner = inner;
    }

    Handler inner() {
        return inner;
    }

    @Override
    public void onConnect(Connection connection) {
        inner.onConnect(connection);
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        inner.onPacket(connection, packet);
    }

    @Override
    public void onFrameError(Connection connection, FrameError error) {
        inner.onFrameError(connection, error);
    }

    @Override
    public void onWritable(Connection connection) {
        inner.onWritable(connection);
    }

    @Override
    public void onShutdown(Connection connection) {
        inner.onShutdown(connection);
    }

    @Override
    public void onOverLimit(Connection connection) {
        inner.onOverLimit(connection);
    }

    @Override
    public void onIdleTimeout(Connection connection) {
        inner.onIdleTimeout(connection);
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
        inner.onDisconnect(connection, reason);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        inner.onError(connection, error);
    }

    @Override
    public FileDecision onFileOffer(Connection connection, FileOffer offer) {
        return inner instanceof FileHandler files ? files.onFileOffer(connection, offer)
                : FileDecision.reject(FileRejectCode.IO_ERROR, "this side stores no files");
    }

    @Override
    public FileDecision onFileRequest(Connection connection, String name) {
        return inner instanceof FileHandler files ? files.onFileRequest(connection, name)
                : FileDecision.reject(FileRejectCode.NOT_FOUND, "this side serves no files");
    }

    @Override
    public void onFileStarted(Connection connection, FileTransfer transfer) {
        if (inner instanceof FileHandler files) {
            files.onFileStarted(connection, transfer);
        }
    }

    @Override
    public void onFileReceived(Connection connection, FileOffer offer, FileTransferException error) {
        if (inner instanceof FileHandler files) {
            files.onFileReceived(connection, offer, error);
        }
    }
}
