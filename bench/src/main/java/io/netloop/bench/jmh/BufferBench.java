package io.netloop.bench.jmh;

import io.netloop.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Buffer's hot operations as a connection uses them: append what a read brought, consume
 * it in pieces (compaction included), and look for a delimiter.
 *
 * <p>Threading: JMH runs each benchmark thread with its own state ({@code Scope.Thread}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class BufferBench {
    @Param({"64", "4096"})
    public int size;

    private byte[] chunk;
    private Buffer buffer;

    @Setup
    public void setUp() {
        chunk = new byte[size];
        for (int i = 0; i < size; i++) chunk[i] = (byte) ('a' + i % 26);
        chunk[size - 1] = '\n';
        buffer = new Buffer(16 * 1024);
    }

    /** Append a read's worth, then consume it in two pieces. */
    @Benchmark
    public int appendThenConsume() {
        buffer.append(chunk);
        buffer.skip(size / 2);
        buffer.skip(buffer.readableBytes());
        return buffer.readerIndex();
    }

    /** Find the line end in what a read brought. */
    @Benchmark
    public int indexOfNewline() {
        buffer.clear();
        buffer.append(chunk);
        return buffer.indexOf((byte) '\n');
    }
}
