package io.iocp4j.cli;

import io.iocp4j.file.FileStore;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/** The server's bounds on the partial files that broken uploads leave in its directory for a resume. */
final class PartialUploadOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--max-partial-files", defaultValue = "1000", paramLabel = "N",
            description = "Partial upload files kept at once; a new upload deletes the oldest one no transfer holds "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxPartialFiles;

    @Option(names = "--max-partial-bytes", defaultValue = "1073741824", paramLabel = "BYTES",
            description = "Bytes all partial upload files may hold, an upload in progress counted at its whole size; "
                    + "a larger FILE_OFFER gets FILE_REJECT 3, one with no room left FILE_REJECT 5 (default: "
                    + "${DEFAULT-VALUE}, 1 GiB).")
    long maxPartialBytes;

    @Option(names = "--partial-ttl", defaultValue = "86400", paramLabel = "SECONDS",
            description = "Delete a partial upload file no transfer has written for this long. 0: never (default: "
                    + "${DEFAULT-VALUE}, 24 h).")
    int partialTtl;

    void validate() {
        if (maxPartialFiles < 1) {
            throw new ParameterException(spec.commandLine(), "--max-partial-files must be at least 1, not "
                    + maxPartialFiles);
        }
        if (maxPartialBytes < 1) {
            throw new ParameterException(spec.commandLine(), "--max-partial-bytes must be at least 1, not "
                    + maxPartialBytes);
        }
        if (partialTtl < 0 || partialTtl > ServerPolicies.MAX_TIMEOUT_SECONDS) {
            throw new ParameterException(spec.commandLine(), "--partial-ttl must be between 0 and "
                    + ServerPolicies.MAX_TIMEOUT_SECONDS + ", not " + partialTtl);
        }
    }

    FileStore.Builder apply(FileStore.Builder builder) {
        return builder.maxPartialFiles(maxPartialFiles)
                .maxPartialBytes(maxPartialBytes)
                .partialTtl(Duration.ofSeconds(partialTtl));
    }
}
