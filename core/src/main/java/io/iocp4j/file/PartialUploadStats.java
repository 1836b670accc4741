package io.iocp4j.file;

/**
 * What a store's partial upload files hold now: {@code files} and {@code bytes} count every partial file, those of
 * transfers in progress at the full size they will reach; {@code inTransfer} of the files are held by transfers
 * in progress; {@code evicted} idle files were deleted so far to make room for offers, {@code expired} for their age.
 */
public record PartialUploadStats(int files, long bytes, int inTransfer, long evicted, long expired) {
}
