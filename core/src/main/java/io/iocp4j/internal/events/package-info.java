/**
 * JFR events of the engine: connections opened, closed and rejected, slow consumers, frame errors, handler
 * failures and shutdowns (a file transfer's end is the file package's own event). Each is emitted by one line at
 * its site through a static {@code emit} that builds and commits the event only when a recording takes it, so they
 * cost a check when no one records.
 */
package io.iocp4j.internal.events;
