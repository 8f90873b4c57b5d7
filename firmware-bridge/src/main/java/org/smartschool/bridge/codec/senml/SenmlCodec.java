package org.smartschool.bridge.codec.senml;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Reading;

/**
 * SenML (RFC 8428) packs in JSON ({@code application/senml+json}) or CBOR ({@code application/senml+cbor}),
 * as CoAP sensors POST them or MQTT 5 devices publish them. The content type picks the format; a message
 * without one (MQTT 3.1.1) is read as {@code whenNoContentType}, JSON unless configured otherwise.
 *
 * <p>Pack resolution is {@link SenmlPackReader}'s; what a record becomes is {@link SenmlRecordMapper}'s.
 * Names must follow RFC 8428 section 4.5.1 (letters, digits, {@code - : . / _}, starting with a letter or
 * digit). Stateless and thread-safe.
 */
public final class SenmlCodec implements Codec {
    private final SenmlPackReader reader;
    private final SenmlFormat whenNoContentType;

    public SenmlCodec(SenmlPackReader reader, SenmlFormat whenNoContentType) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.whenNoContentType = Objects.requireNonNull(whenNoContentType, "whenNoContentType");
    }

    public SenmlCodec() {
        this(new SenmlPackReader(), SenmlFormat.JSON);
    }

    @Override
    public String name() {
        return "senml";
    }

    @Override
    public String description() {
        return "SenML (RFC 8428) packs in JSON or CBOR by content type, as CoAP and MQTT 5 sensors send them";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        SenmlPack pack = reader.read(message, device.toString(), whenNoContentType);
        if (pack.rejected()) {
            return DecodeResult.rejected(pack.problems().get(0));
        }
        List<Reading> readings = new ArrayList<>(pack.records().size());
        List<DeviceEvent> events = new ArrayList<>(0);
        List<DecodeProblem> problems = new ArrayList<>(pack.problems());
        for (SenmlRecord record : pack.records()) {
            if (!isValidName(record.name())) {
                problems.add(new DecodeProblem(device.toString(), record.path("n"), "name " + ProblemText.quote(record.name())
                        + " must start with a letter or digit and hold only letters, digits, '-', ':', '.', '/' and '_' (RFC 8428 section 4.5.1)"));
                continue;
            }
            SenmlRecordMapper.map(record, device, readings, events, problems);
        }
        return DecodeResult.of(readings, events, problems);
    }

    /** RFC 8428 section 4.5.1. */
    static boolean isValidName(String name) {
        if (name.isEmpty() || !isAlphanumeric(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlphanumeric(c) && c != '-' && c != ':' && c != '.' && c != '/' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
