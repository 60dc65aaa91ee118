package io.netloop.examples.upload;

import io.netloop.http.Response;
import io.netloop.http.multipart.Part;
import io.netloop.http.multipart.PartHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One upload's parts as they arrive: a field's value (short: fields are bounded by the part
 * limit), each file's size and SHA-256, computed piece by piece, so the file itself is never
 * kept. The answer is a receipt, one line per part.
 *
 * <p>To store files, hand each piece to a virtual thread that writes it (through a bounded
 * queue, so that a slow disk slows the upload instead of filling the heap): writing on the loop
 * would block it.
 *
 * <p>Owned by one request. Threading: its connection's loop thread.
 */
final class UploadReceipt implements PartHandler {
    private final StringBuilder receipt = new StringBuilder();
    private final StringBuilder value = new StringBuilder();
    private final MessageDigest sha256;
    private Part part;
    private long size;

    UploadReceipt() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void onPart(Part part) {
        this.part = part;
        size = 0;
        value.setLength(0);
        sha256.reset();
    }

    @Override
    public void onData(byte[] array, int offset, int length) {
        if (part.isFile()) {
            sha256.update(array, offset, length);
            size += length;
        } else {
            value.append(new String(array, offset, length, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void onPartEnd() {
        if (part.isFile()) {
            receipt.append(part.name())
                    .append(": ")
                    .append(part.filename())
                    .append(", ")
                    .append(size)
                    .append(" bytes, sha256 ")
                    .append(HexFormat.of().formatHex(sha256.digest()))
                    .append('\n');
        } else {
            receipt.append(part.name()).append(": ").append(value).append('\n');
        }
    }

    @Override
    public void onComplete(Response response) {
        response.send(receipt.toString());
    }
}
