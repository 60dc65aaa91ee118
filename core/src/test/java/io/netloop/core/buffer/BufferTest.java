package io.netloop.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BufferTest {

    @Test
    void appendedBytesAreReadBackInOrder() {
        Buffer b = new Buffer();
        b.append("hello ").append("world");
        assertThat(b.readableBytes()).isEqualTo(11);
        assertThat(b.readString(5, StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(b.readAllAsString()).isEqualTo(" world");
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void makingRoomCompactsBeforeGrowing() {
        Buffer b = new Buffer(16);
        b.append(new byte[12]);
        b.skip(10);
        byte[] before = b.array();
        b.ensureWritable(12);
        assertThat(b.array()).isSameAs(before);
        assertThat(b.readerIndex()).isZero();
        assertThat(b.readableBytes()).isEqualTo(2);
    }

    @Test
    void growsWhenCompactingIsNotEnough() {
        Buffer b = new Buffer(8);
        b.append("12345678");
        b.ensureWritable(100);
        assertThat(b.writableBytes()).isGreaterThanOrEqualTo(100);
        assertThat(b.readAllAsString()).isEqualTo("12345678");
    }

    @Test
    void consumingEverythingRewindsBothIndexes() {
        Buffer b = new Buffer(8);
        b.append("abc");
        b.skip(3);
        assertThat(b.readerIndex()).isZero();
        assertThat(b.writerIndex()).isZero();
    }

    @Test
    void socketStyleWriteIntoTheArrayThenHasWritten() {
        Buffer b = new Buffer();
        b.ensureWritable(4);
        System.arraycopy("abcd".getBytes(StandardCharsets.US_ASCII), 0, b.array(), b.writerIndex(), 4);
        b.hasWritten(4);
        assertThat(b.indexOf((byte) 'c')).isEqualTo(2);
        assertThat(b.peek(3)).isEqualTo((byte) 'd');
    }

    @Test
    void shrinkGivesMemoryBackButKeepsReadableBytes() {
        Buffer b = new Buffer(1 << 20);
        b.append("keep");
        b.shrink(1024);
        assertThat(b.capacity()).isEqualTo(1024);
        assertThat(b.readAllAsString()).isEqualTo("keep");
    }

    @Test
    void misuseIsAnExceptionNotCorruption() {
        Buffer b = new Buffer();
        b.append("ab");
        assertThatThrownBy(() -> b.skip(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.hasWritten(b.writableBytes() + 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void appendingABufferMovesItsBytes() {
        Buffer a = Buffer.of("xy".getBytes(StandardCharsets.US_ASCII));
        Buffer b = new Buffer();
        b.append(a);
        assertThat(a.isEmpty()).isTrue();
        assertThat(b.readAllAsString()).isEqualTo("xy");
    }
}
