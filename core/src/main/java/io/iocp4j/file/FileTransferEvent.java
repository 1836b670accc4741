package io.iocp4j.file;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A file transfer ended, stored and verified or not. */
@Name("io.iocp4j.FileTransferFinished")
@Label("File Transfer Finished")
@Category({"iocp4j", "Files"})
@StackTrace(false)
final class FileTransferEvent extends Event {
    @Label("File Name")
    String fileName;

    @Label("Size")
    @DataAmount
    long size;

    @Label("Resumed At")
    @DataAmount
    long offset;

    @Label("Bytes Transferred")
    @DataAmount
    long transferred;

    @Label("Outcome")
    @Description("OK, or why it failed: REJECTED, MISMATCH, CANCELLED, BROKEN")
    String outcome;

    @Label("Duration")
    @Timespan
    long took;

    /** {@code fileName} and {@code size} are null and -1 when the transfer ended before its offer was known. */
    static void emit(String fileName, long size, long offset, long transferred, String outcome,
                            long startNanos) {
        FileTransferEvent event = new FileTransferEvent();
        if (event.shouldCommit()) {
            event.fileName = fileName;
            event.size = size;
            event.offset = offset;
            event.transferred = transferred;
            event.outcome = outcome;
            event.took = System.nanoTime() - startNanos;
            event.commit();
        }
    }
}
