package io.netloop.core.tcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.buffer.BufferPool;
import io.netloop.core.file.OpenFile;
import io.netloop.core.loop.LoopStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output queue alone, against a socket that takes a set number of bytes per write. */
class OutboundQueueTest {
    private final FakeSocket socket = new FakeSocket();
    private final LoopStats stats = new LoopStats();

    private OutboundQueue queue(OutboundQueue.Encoder encoder, long flushBudget) {
        return new OutboundQueue(socket, encoder, stats, new BufferPool(64, 4), 100, 20, flushBudget);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private boolean send(OutboundQueue q, String s) throws IOException {
        byte[] b = bytes(s);
        return q.send(b, 0, b.length);
    }

    @Test
    void aSendIntoAnEmptyQueueIsWrittenAtOnceInOneCall() throws IOException {
        OutboundQueue q = queue(null, 1 << 20);
        assertThat(send(q, "hello")).as("nothing left waiting").isFalse();
        assertThat(socket.sentText()).isEqualTo("hello");
        assertThat(socket.writes).isEqualTo(1);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.bytesWritten()).isEqualTo(5);
        assertThat(stats.snapshot().writes()).isEqualTo(1);
        assertThat(stats.snapshot().bytesOut()).isEqualTo(5);
    }

    @Test
    void whatTheSocketDoesNotTakeWaitsAndLaterSendsQueueBehindItInOrder() throws IOException {
        OutboundQueue q = queue(null, 1 << 20);
        socket.takePerWrite = 3;
        assertThat(send(q, "abcdef")).as("now waiting for room").isTrue();
        assertThat(send(q, "gh")).as("already waiting").isFalse();
        assertThat(socket.writes)
                .as("a queue that is not empty is not written on send")
                .isEqualTo(1);
        assertThat(q.queuedBytes()).isEqualTo(5);
        assertThat(q.flush()).isEqualTo(OutboundQueue.Flush.BLOCKED);
        assertThat(q.flush()).isEqualTo(OutboundQueue.Flush.DRAINED);
        assertThat(socket.sentText()).isEqualTo("abcdefgh");
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void aFullSocketTakesNothingAndTheQueueKeepsEveryByte() throws IOException {
        OutboundQueue q = queue(null, 1 << 20);
        socket.takePerWrite = 0;
        assertThat(send(q, "xyz")).isTrue();
        assertThat(q.flush()).isEqualTo(OutboundQueue.Flush.BLOCKED);
        socket.takePerWrite = Integer.MAX_VALUE;
        assertThat(q.flush()).isEqualTo(OutboundQueue.Flush.DRAINED);
        assertThat(socket.sentText()).isEqualTo("xyz");
    }

    @Test
    void corkedSendsLeaveInOneWriteAtUncork() throws IOException {
        OutboundQueue q = queue(null, 1 << 20);
        q.cork();
        for (int i = 0; i < 8; i++)
            assertThat(send(q, "r" + i + ";")).as("corked: nothing written").isFalse();
        assertThat(socket.writes).isZero();
        assertThat(q.uncork())
                .as("corked onto an empty queue: the caller flushes")
                .isTrue();
        assertThat(q.flush()).isEqualTo(OutboundQueue.Flush.DRAINED);
        assertThat(socket.writes).isEqualTo(1);
        assertThat(socket.sentText()).isEqualTo("r0;r1;r2;r3;r4;r5;r6;r7;");
        assertThat(q.uncork()).as("not corked any more").isFalse();
    }

    @Test
    void aCorkOnAQueueAlreadyWaitingLeavesTheWritingToTheWaitForRoom() throws IOException {
        OutboundQueue q = queue(null, 1 << 20);
        socket.takePerWrite = 0;
        send(q, "first");
        q.cork();
        send(q, "second");
        assertThat(q.uncork()).as("EPOLLOUT is armed already").isFalse();
        socket.takePerWrite = Integer.MAX_VALUE;
        q.flush();
        assertThat(socket.sentText()).isEqualTo("firstsecond");
    }

    @Test
    void fileRangesGoOutInOrderWithTheBytesSentBehindThem(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "0123456789");
        OutboundQueue q = queue(null, 1 << 20);
        socket.takePerWrite = 4;
        send(q, "head:");
        try (OpenFile file = OpenFile.openChannel(f)) {
            q.sendFile(null, new FileRegion(file, 2, 5));
            send(q, ":tail");
            q.sendFile(bytesBuffer("|h2|"), new FileRegion(file, 0, 3));
        }
        for (int i = 0; i < 20 && !q.isEmpty(); i++) q.flush();
        assertThat(socket.sentText()).isEqualTo("head:23456:tail|h2|012");
        assertThat(q.queuedBytes()).isZero();
    }

    @Test
    void aHeadAndTheFileBehindItShareAPacketThroughMsgMore(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "body");
        OutboundQueue q = queue(null, 1 << 20);
        try (OpenFile file = OpenFile.openChannel(f)) {
            assertThat(q.sendFile(bytesBuffer("HEAD"), new FileRegion(file, 0, 4)))
                    .isFalse();
        }
        assertThat(socket.writeMores)
                .as("the head is written saying more follows")
                .isEqualTo(1);
        assertThat(socket.transfers).isEqualTo(1);
        assertThat(socket.sentText()).isEqualTo("HEADbody");
    }

    @Test
    void theLastOutputIsWrittenSayingMoreFollowsSoTheFinSharesItsPacket() throws IOException {
        OutboundQueue q = queue(null, 1 << 20);
        send(q, "keep");
        q.lastOutput();
        send(q, "last");
        assertThat(socket.calls)
                .as("a plain write, then one saying more follows")
                .hasToString("wm");
        assertThat(socket.sentText()).isEqualTo("keeplast");
    }

    @Test
    void aFileAsTheLastOutputHoldsTheSocketOnceBeforeItsHead(@TempDir Path dir) throws IOException {
        // sendfile(2) has no MSG_MORE: the hold (TCP_CORK) keeps its last bytes for the FIN.
        Path f = Files.writeString(dir.resolve("f"), "body");
        OutboundQueue q = queue(null, 1 << 20);
        q.lastOutput();
        try (OpenFile file = OpenFile.openChannel(f)) {
            q.sendFile(bytesBuffer("HEAD"), file, 0, 4);
            q.sendFile(null, file, 0, 4);
        }
        assertThat(socket.calls).hasToString("+mff");
        assertThat(socket.sentText()).isEqualTo("HEADbodybody");
    }

    @Test
    void releasingTheLastOutputSendsWhatTheSocketHoldsAndEndsIt() throws IOException {
        OutboundQueue q = queue(null, 1 << 20);
        q.lastOutput();
        send(q, "a");
        q.releaseLastOutput();
        send(q, "b");
        q.releaseLastOutput();
        assertThat(q.isLastOutput()).isFalse();
        assertThat(socket.calls).as("released once; writes plain after").hasToString("m-w");
    }

    @Test
    void underAnEncoderTheLastOutputIsNotHeldSinceTheProtocolsEndGoesBetween() throws IOException {
        OutboundQueue q = queue((src, off, len, wire) -> wire.append(src, off, len), 1 << 20);
        q.lastOutput();
        send(q, "x");
        assertThat(q.isLastOutput()).isFalse();
        assertThat(socket.calls).hasToString("w");
    }

    @Test
    void aLargeFileYieldsAfterTheFlushBudgetSoOthersAreServed(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[100]);
        OutboundQueue q = queue(null, 30);
        socket.takePerWrite = 10;
        try (OpenFile file = OpenFile.openChannel(f)) {
            q.sendFile(null, new FileRegion(file, 0, 100));
        }
        assertThat(q.queuedBytes()).as("the first flush stopped at the budget").isEqualTo(70);
        assertThat(q.flush()).isEqualTo(OutboundQueue.Flush.YIELDED);
        assertThat(q.queuedBytes()).isEqualTo(40);
        q.flush();
        assertThat(q.flush()).isEqualTo(OutboundQueue.Flush.DRAINED);
        assertThat(socket.sent.size()).isEqualTo(100);
    }

    @Test
    void waterMarksAreCrossedOncePerCrossing() throws IOException {
        OutboundQueue q = queue(null, 1 << 20);
        socket.takePerWrite = 0;
        send(q, "x".repeat(60));
        assertThat(q.crossedHighWater()).isFalse();
        send(q, "x".repeat(60));
        assertThat(q.crossedHighWater()).as("120 >= 100").isTrue();
        send(q, "x".repeat(60));
        assertThat(q.crossedHighWater()).as("once per crossing").isFalse();
        assertThat(q.crossedLowWater()).isFalse();
        socket.takePerWrite = 170;
        q.flush();
        assertThat(q.crossedLowWater()).as("10 <= 20").isTrue();
        assertThat(q.crossedLowWater()).isFalse();
        send(q, "x".repeat(100));
        assertThat(q.crossedHighWater()).as("a new crossing").isTrue();
    }

    @Test
    void underAnEncoderBytesSentBehindAFileAreEncodedAfterTheFileSoWireOrderIsEncodingOrder(@TempDir Path dir)
            throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "FILE");
        StringBuilder encoded = new StringBuilder();
        OutboundQueue.Encoder brackets = (src, off, len, wire) -> {
            String s = new String(src, off, len, StandardCharsets.ISO_8859_1);
            encoded.append(s).append(',');
            wire.append(bytes("[" + s + "]"));
        };
        OutboundQueue q = queue(brackets, 1 << 20);
        socket.takePerWrite = 0;
        send(q, "a");
        try (OpenFile file = OpenFile.openChannel(f)) {
            q.sendFile(null, new FileRegion(file, 0, 4));
        }
        send(q, "b");
        assertThat(encoded)
                .as("the file is not read before the socket took what is before it")
                .hasToString("a,");
        socket.takePerWrite = Integer.MAX_VALUE;
        assertThat(q.flush()).isEqualTo(OutboundQueue.Flush.DRAINED);
        assertThat(encoded).hasToString("a,FILE,b,");
        assertThat(socket.sentText()).isEqualTo("[a][FILE][b]");
    }

    @Test
    void discardClosesTheQueuedFilesAndEmptiesTheQueue(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "content");
        OutboundQueue q = queue(null, 1 << 20);
        socket.takePerWrite = 0;
        OpenFile file = OpenFile.openChannel(f);
        q.sendFile(null, new FileRegion(file, 0, 7));
        file.close();
        assertThat(file.isOpen()).as("the queued range holds its own reference").isTrue();
        q.discard();
        assertThat(file.isOpen()).isFalse();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.queuedBytes()).isZero();
    }

    @Test
    void aFailedWriteIsThrownForTheConnectionToClose() {
        OutboundQueue q = queue(null, 1 << 20);
        socket.failWrites = new IOException("EPIPE");
        assertThatThrownBy(() -> send(q, "x")).hasMessage("EPIPE");
    }

    private static Buffer bytesBuffer(String s) {
        return Buffer.of(bytes(s));
    }
}
