package org.smartschool.bridge.uplink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

/**
 * Encodes and decodes the uplink batch frame (docs/protocol.md, "Batch frame").
 * A frame decodes whole or not at all.
 *
 * <pre>
 * 'S' 'B' version(1)  zlib stream (RFC 1950: deflate + Adler-32) of a CBOR body (RFC 8949)
 * </pre>
 *
 * <p>Stateless and thread-safe: one instance can serve every connection.
 */
public final class BatchCodec {
    public static final byte MAGIC_0 = 'S';
    public static final byte MAGIC_1 = 'B';
    public static final byte VERSION = 1;
    /** Magic (2 bytes) and version (1 byte) before the zlib stream. */
    public static final int HEADER_BYTES = 3;
    /** MQTT 5 content type of a version 1 frame. */
    public static final String CONTENT_TYPE = "application/vnd.smartschool.batch.v1";
    /** Largest frame a hub accepts (1 MiB); larger is answered PUBACK 0x97 Quota exceeded. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Largest CBOR body a frame may inflate to (16 MiB): the zip-bomb guard. */
    public static final int MAX_INFLATED_BYTES = 16 << 20;
    /** Most readings plus events in one batch: bounds the memory one frame can claim. */
    public static final int MAX_RECORDS = 100_000;

    /** zlib's default (6): level 9 makes typical frames no smaller, only slower. */
    private static final int DEFLATE_LEVEL = Deflater.DEFAULT_COMPRESSION;
    private static final CBORFactory CBOR = new CBORFactory();

    /**
     * @throws IllegalArgumentException when the batch breaks a limit the hub enforces
     *         ({@link #MAX_RECORDS}, {@link #MAX_INFLATED_BYTES}, {@link #MAX_FRAME_BYTES}): send fewer records per batch
     */
    public byte[] encode(Batch batch) {
        if (batch.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("batch " + batch.batchId() + " holds " + batch.size()
                    + " records, more than MAX_RECORDS (" + MAX_RECORDS + ")");
        }
        byte[] body;
        try {
            body = new BodyWriter(batch).write(CBOR);
        } catch (IOException e) {
            throw new UncheckedIOException("writing CBOR to memory failed", e);
        }
        if (body.length > MAX_INFLATED_BYTES) {
            throw new IllegalArgumentException("batch " + batch.batchId() + " body of " + body.length
                    + " bytes exceeds MAX_INFLATED_BYTES (" + MAX_INFLATED_BYTES + ")");
        }
        byte[] frame = deflate(body);
        if (frame.length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("batch " + batch.batchId() + " frame of " + frame.length
                    + " bytes exceeds MAX_FRAME_BYTES (" + MAX_FRAME_BYTES + ")");
        }
        return frame;
    }

    /** @throws BatchFormatException naming what is wrong; never returns part of a batch */
    public Batch decode(byte[] frame) throws BatchFormatException {
        checkHeader(frame);
        Inflated body = inflate(frame);
        return new BodyReader(body.bytes(), body.length()).read(CBOR);
    }

    private static void checkHeader(byte[] frame) throws BatchFormatException {
        if (frame == null) {
            throw new BatchFormatException("no frame");
        }
        if (frame.length > MAX_FRAME_BYTES) {
            throw BatchFormatException.tooLarge("frame of " + frame.length + " bytes exceeds MAX_FRAME_BYTES ("
                    + MAX_FRAME_BYTES + ")");
        }
        if (frame.length < HEADER_BYTES) {
            throw new BatchFormatException("truncated frame: " + frame.length + " bytes, shorter than the "
                    + HEADER_BYTES + "-byte header");
        }
        if (frame[0] != MAGIC_0 || frame[1] != MAGIC_1) {
            throw new BatchFormatException(String.format(
                    "not a batch frame: starts 0x%02x 0x%02x, expected 0x%02x 0x%02x ('SB')",
                    frame[0] & 0xff, frame[1] & 0xff, MAGIC_0, MAGIC_1));
        }
        if (frame[2] != VERSION) {
            throw new BatchFormatException("unsupported batch frame version " + (frame[2] & 0xff)
                    + ": this decoder reads version " + VERSION);
        }
    }

    private static byte[] deflate(byte[] body) {
        Deflater deflater = new Deflater(DEFLATE_LEVEL);
        try {
            deflater.setInput(body);
            deflater.finish();
            byte[] out = new byte[HEADER_BYTES + body.length + body.length / 100 + 64];
            out[0] = MAGIC_0;
            out[1] = MAGIC_1;
            out[2] = VERSION;
            int length = HEADER_BYTES;
            while (!deflater.finished()) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                length += deflater.deflate(out, length, out.length - length);
            }
            return Arrays.copyOf(out, length);
        } finally {
            deflater.end();
        }
    }

    private record Inflated(byte[] bytes, int length) {
    }

    /** Inflates the zlib stream after the header; the Inflater checks the Adler-32 at its end. */
    private static Inflated inflate(byte[] frame) throws BatchFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(frame, HEADER_BYTES, frame.length - HEADER_BYTES);
            byte[] out = new byte[(int) Math.min(MAX_INFLATED_BYTES + 1L, 64L + 4L * frame.length)];
            int length = 0;
            while (!inflater.finished()) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(MAX_INFLATED_BYTES + 1L, 2L * out.length));
                }
                int n = inflater.inflate(out, length, out.length - length);
                length += n;
                if (length > MAX_INFLATED_BYTES) {
                    throw BatchFormatException.tooLarge("frame inflates to more than MAX_INFLATED_BYTES ("
                            + MAX_INFLATED_BYTES + ")");
                }
                if (n == 0 && !inflater.finished()) {
                    if (inflater.needsDictionary()) {
                        throw new BatchFormatException("corrupt frame: the zlib stream asks for a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        throw new BatchFormatException("truncated frame: the zlib stream ends after "
                                + (frame.length - HEADER_BYTES) + " bytes, before its end and checksum");
                    }
                    if (length < out.length) {
                        throw new BatchFormatException("corrupt frame: the zlib stream makes no progress");
                    }
                }
            }
            if (inflater.getRemaining() > 0) {
                throw new BatchFormatException("corrupt frame: " + inflater.getRemaining()
                        + " bytes after the end of the zlib stream");
            }
            return new Inflated(out, length);
        } catch (DataFormatException e) {
            throw new BatchFormatException("corrupt frame: zlib stream invalid (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }
}
