package io.iocp4j.testkit;

import io.iocp4j.buffer.IoBuffer;
import io.iocp4j.stage.ByteStage;
import io.iocp4j.stage.StageContext;
import io.iocp4j.stage.StageFactory;

import java.nio.ByteBuffer;

/** Any stage, counted in a {@link StageLedger} when made and when released: for stages the tests do not own. */
final class LedgeredStage implements ByteStage {
    private final ByteStage inner;
    private final StageLedger ledger;

    private LedgeredStage(ByteStage inner, StageLedger ledger) {
        this.inner = inner;
        this.ledger = ledger;
    }

    static StageFactory counting(StageFactory factory, StageLedger ledger) {
        return connection -> ledger.made(new LedgeredStage(factory.newStage(connection), ledger));
    }

    @Override
    public void onOpen(StageContext context) {
        inner.onOpen(context);
    }

    @Override
    public void inbound(StageContext context, ByteBuffer bytes) {
        inner.inbound(context, bytes);
    }

    @Override
    public boolean seesOutbound() {
        return inner.seesOutbound();
    }

    @Override
    public void outbound(StageContext context, IoBuffer bytes) {
        inner.outbound(context, bytes);
    }

    @Override
    public void onClosing(StageContext context) {
        inner.onClosing(context);
    }

    @Override
    public long memoryHeld() {
        return inner.memoryHeld();
    }

    @Override
    public void release() {
        inner.release();
        ledger.released(this);
    }
}
