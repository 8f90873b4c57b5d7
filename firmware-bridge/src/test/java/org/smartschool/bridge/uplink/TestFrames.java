package org.smartschool.bridge.uplink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

/**
 * Hand-built frames for tests of what the decoder refuses: a CBOR body written from plain Java
 * values (Integer map keys become CBOR integer keys), wrapped in the frame header and zlib.
 */
final class TestFrames {
    /** A CBOR tag around a value. */
    record Tagged(int tag, Object value) {
    }

    /** A CBOR single-precision float. */
    record Float32(float value) {
    }

    private TestFrames() {
    }

    /**
     * A valid body: room "r1" and device "d1", one group of two times with CO2 612, 615 and
     * temperature 29.4, 29.5, and one door-open event. Tests change one part and expect refusal.
     */
    static Map<Object, Object> validBody() {
        Map<Object, Object> body = new LinkedHashMap<>();
        body.put(1, "gw1-1-5");
        body.put(2, "gw1");
        body.put(3, "s1");
        body.put(4, SampleBatches.START);
        body.put(5, list("r1", "d1"));
        body.put(6, list(group()));
        body.put(7, list(event()));
        return body;
    }

    /** [room, device, [time deltas], [series...]] */
    static List<Object> group() {
        return list(0, 1, list(0, 10_000),
                list(list(0, 0, list(612, 3)), list(1, -1, list(294, 1))));
    }

    /** [id, type, room, device, time offset, attributes] */
    static List<Object> event() {
        Map<Object, Object> attributes = new LinkedHashMap<>();
        attributes.put("reader", "in");
        return list("0b7e3f04-6c1e-3d7a-9d52-3c1c0a8e5b11", 1, 0, 1, 20, attributes);
    }

    @SuppressWarnings("unchecked")
    static List<Object> group(Map<Object, Object> body) {
        return (List<Object>) ((List<Object>) body.get(6)).get(0);
    }

    @SuppressWarnings("unchecked")
    static List<Object> series(Map<Object, Object> body, int index) {
        return (List<Object>) ((List<Object>) group(body).get(3)).get(index);
    }

    @SuppressWarnings("unchecked")
    static List<Object> event(Map<Object, Object> body) {
        return (List<Object>) ((List<Object>) body.get(7)).get(0);
    }

    static List<Object> list(Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    static byte[] frame(Object body) {
        return frame(cbor(body));
    }

    static byte[] frame(byte[] cborBody) {
        return withHeader(zlib(cborBody));
    }

    static byte[] withHeader(byte[] zlibStream) {
        byte[] frame = new byte[BatchCodec.HEADER_BYTES + zlibStream.length];
        frame[0] = 'S';
        frame[1] = 'B';
        frame[2] = 1;
        System.arraycopy(zlibStream, 0, frame, BatchCodec.HEADER_BYTES, zlibStream.length);
        return frame;
    }

    static byte[] zlib(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(out, deflater)) {
            zlib.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    static byte[] cbor(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void write(CBORGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject(map, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey() instanceof Number n) {
                    g.writeFieldId(n.longValue());
                } else {
                    g.writeFieldName((String) e.getKey());
                }
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray(list, list.size());
            for (Object item : list) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float32 f) {
            g.writeNumber(f.value());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof byte[] bytes) {
            g.writeBinary(bytes);
        } else if (value instanceof Tagged t) {
            g.writeTag(t.tag());
            write(g, t.value());
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass());
        }
    }
}
