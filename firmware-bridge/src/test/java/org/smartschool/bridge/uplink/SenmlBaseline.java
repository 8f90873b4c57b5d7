package org.smartschool.bridge.uplink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import org.smartschool.bridge.model.Reading;

/**
 * The baseline the columnar frame is measured against: plain SenML (RFC 8428) in CBOR, one record
 * {n, t, v} per reading (name "room/device/quantity", time in float seconds, value as float64),
 * zlib-compressed at the same level (6) as a frame.
 */
final class SenmlBaseline {
    /** RFC 8428 section 6 CBOR labels. */
    private static final int NAME = 0;
    private static final int VALUE = 2;
    private static final int TIME = 6;

    private SenmlBaseline() {
    }

    static byte[] cbor(Batch batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartArray(null, batch.readings().size());
            for (Reading r : batch.readings()) {
                g.writeStartObject(r, 3);
                g.writeFieldId(NAME);
                g.writeString(r.room() + "/" + r.device() + "/" + r.quantity().id());
                g.writeFieldId(TIME);
                g.writeNumber(r.timestamp() / 1000.0);
                g.writeFieldId(VALUE);
                g.writeNumber(r.value());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return out.toByteArray();
    }

    static byte[] compressed(Batch batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(out, deflater)) {
            zlib.write(cbor(batch));
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }
}
