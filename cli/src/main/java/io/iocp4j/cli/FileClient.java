package io.iocp4j.cli;

import io.iocp4j.Client;
import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Transport;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileRejectCode;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;
import io.iocp4j.frame.Framing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What {@code send} and {@code get} share: a client connection whose handler takes the file a FILE_GET asked for
 * into a store (and nothing unasked), reports an ERROR from the server, and the wait for the transfer with its
 * progress line and its outcome as an exit code and one line.
 */
final class FileClient implements FileHandler {
    private static final long CONNECT_WAIT_SECONDS = 10;

    private final FileStore downloads;
    private volatile String serverError;

    /** {@code downloads}: where a requested file is stored; null when nothing is requested. */
    FileClient(FileStore downloads) {
        this.downloads = downloads;
    }

    @Override
    public FileDecision onFileOffer(Connection connection, FileOffer offer) {
        return downloads == null ? FileDecision.reject(FileRejectCode.IO_ERROR, "this client stores no files")
                : FileDecision.use(downloads);
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        if ((packet.get(packet.position()) & 0xFF) == MessageType.ERROR && packet.remaining() >= 3) {
            int code = Short.toUnsignedInt(packet.getShort(packet.position() + 1));
            String text = StandardCharsets.UTF_8.decode(packet.slice(packet.position() + 3,
                    packet.remaining() - 3)).toString();
            serverError = "server sent ERROR " + code + ": " + text;
        }
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
    }

    /**
     * Connects, starts the transfer, follows it and reports. Returns the exit code; every failure is one line on
     * standard error naming the reason.
     */
    int run(Transport transport, String host, int port, Function<Connection, FileTransfer> start, String verb,
            Function<FileOffer, String> what) throws InterruptedException {
        Client client;
        try {
            client = Client.builder().transport(transport).framing(Framing.lengthPrefixed(4, ClientCommand.MAX_FRAME))
                    .handler(this).build();
        } catch (IllegalStateException e) {
            System.err.println("iocp4j: " + e.getMessage());
            return Main.FAILED;
        } catch (IOException e) {
            System.err.println("iocp4j: cannot start the client: " + Failures.describe(e));
            return Main.FAILED;
        }
        try (client) {
            Connection connection;
            try {
                connection = client.connect(host, port).get(CONNECT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                System.err.println("iocp4j: cannot connect to " + host + ":" + port + ": " + Failures.describe(e));
                return Main.FAILED;
            } catch (TimeoutException e) {
                System.err.println("iocp4j: cannot connect to " + host + ":" + port + ": no answer within "
                        + CONNECT_WAIT_SECONDS + " s");
                return Main.FAILED;
            }
            try {
                FileTransfer transfer = start.apply(connection);
                ProgressLine progress = new ProgressLine(System.out, System.console() != null, verb);
                progress.follow(transfer);
                try {
                    FileOffer offer = transfer.result().get();
                    System.out.println(progress.summary(transfer, what.apply(offer)));
                    return Main.OK;
                } catch (ExecutionException e) {
                    System.err.println("iocp4j: " + describe(e.getCause()));
                    return Main.FAILED;
                }
            } finally {
                connection.close();
            }
        }
    }

    private String describe(Throwable failure) {
        if (failure instanceof FileTransferException e) {
            return switch (e.kind()) {
                case REJECTED -> "rejected: FILE_REJECT " + e.code() + " (" + rejectName(e.code()) + "): "
                        + e.getMessage();
                case MISMATCH -> "SHA-256 mismatch: " + e.getMessage();
                case CANCELLED -> "cancelled: " + e.getMessage();
                case BROKEN -> serverError != null ? serverError : e.getMessage();
            };
        }
        return Failures.describe(failure);
    }

    private static String rejectName(int code) {
        return switch (code) {
            case FileRejectCode.NOT_FOUND -> "NOT_FOUND";
            case FileRejectCode.BAD_NAME -> "BAD_NAME";
            case FileRejectCode.TOO_LARGE -> "TOO_LARGE";
            case FileRejectCode.BUSY -> "BUSY";
            case FileRejectCode.IO_ERROR -> "IO_ERROR";
            default -> "code " + code;
        };
    }
}
