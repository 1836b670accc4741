package io.iocp4j.stage;

import io.iocp4j.frame.Framing;

import java.util.List;

/**
 * The path of a connection's bytes, declared once for a listener (or a client): byte stages in the order inbound
 * bytes meet them, then the codec. Each connection gets its own stages and decoder from it.
 *
 * <pre>{@code
 * Pipeline.of(Framing.lines(8192), connection -> new CountingStage())
 * }</pre>
 */
public record Pipeline(Framing framing, List<StageFactory> stages) {
    public Pipeline {
        if (framing == null) {
            throw new IllegalArgumentException("a pipeline needs a framing (Framing.none() for none)");
        }
        stages = List.copyOf(stages);
    }

    /** The codec {@code framing} behind {@code stages}, in the order inbound bytes meet them. */
    public static Pipeline of(Framing framing, StageFactory... stages) {
        return new Pipeline(framing, List.of(stages));
    }
}
