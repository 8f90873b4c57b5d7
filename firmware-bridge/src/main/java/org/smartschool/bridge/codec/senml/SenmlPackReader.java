package org.smartschool.bridge.codec.senml;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;

/**
 * Reads a SenML pack (RFC 8428) in JSON or CBOR into resolved records, streaming, in pack order.
 *
 * <p>What it decides, and why:
 * <ul>
 *   <li>Base fields apply to their own record and every later one until the next record sets the same
 *       base field (section 4). A base field of the wrong type makes every later record unresolvable, so
 *       those records are dropped with one problem; earlier records are kept.</li>
 *   <li>A version ({@code bver}) above 10, records that disagree on the version, or an unknown field whose
 *       label ends in {@code _} (must-understand, section 4.4) reject the whole pack.</li>
 *   <li>Times below 2^28 s are relative to "now", which is when the gateway received the message
 *       (section 4.5.3); others are seconds since the Unix epoch. A time more than an hour after the
 *       message arrived is a clock running ahead (or uptime sent as a time): the receive time is used and
 *       a problem says so. Times in the past are kept, however old: SenML carries archived values.</li>
 *   <li>A record carries a number only when it has {@code v} (then base value + value); likewise a sum only
 *       when it has {@code s} (base sum + sum). A record with no value field and no sum is an error, except
 *       one carrying nothing but base fields, which is read as a header that sets them.</li>
 *   <li>A record with two value fields, a duplicated field or a field of the wrong type is dropped with a
 *       problem naming the field; the pack's other records are kept.</li>
 *   <li>Malformed bytes (truncated, invalid UTF-8, not an array, beyond the {@link JsonPayloadReader} limits:
 *       1 MiB, nesting depth, number length) reject the whole pack: where the framing is broken, nothing
 *       read so far can be trusted to be complete. NaN and Infinity (JSON literals, CBOR floats, 1e400) are
 *       problems of their field only.</li>
 * </ul>
 * Names are returned unvalidated: the SenML codec checks them against section 4.5.1, the LwM2M codec
 * parses them as object paths.
 *
 * <p>Thread-safe and stateless: one instance may serve every codec.
 */
public final class SenmlPackReader {
    /** 2^28 seconds: smaller times are relative to now (RFC 8428 section 4.5.3). */
    static final double RELATIVE_TIME_LIMIT = 268_435_456d;
    /** The SenML version this reader understands; a pack declaring a higher one is not used. */
    public static final int HIGHEST_VERSION = 10;
    /** 9999-12-31T23:59:59.999Z: later times are not plausible and would overflow downstream formats. */
    static final long LATEST_TIMESTAMP = 253_402_300_799_999L;
    /** How far after its arrival a record's time may be before the device clock is distrusted. */
    static final long MAX_AHEAD_MILLIS = 60 * 60 * 1000L;
    /** Longer names are not sensor names; they would only bloat problem messages. */
    static final int MAX_NAME_LENGTH = 256;

    private enum Type { STRING, NUMBER, BOOLEAN, DATA, VERSION }

    private enum Label {
        BVER("bver", -1, Type.VERSION, true),
        BN("bn", -2, Type.STRING, true),
        BT("bt", -3, Type.NUMBER, true),
        BU("bu", -4, Type.STRING, true),
        BV("bv", -5, Type.NUMBER, true),
        BS("bs", -6, Type.NUMBER, true),
        N("n", 0, Type.STRING, false),
        U("u", 1, Type.STRING, false),
        V("v", 2, Type.NUMBER, false),
        VS("vs", 3, Type.STRING, false),
        VB("vb", 4, Type.BOOLEAN, false),
        S("s", 5, Type.NUMBER, false),
        T("t", 6, Type.NUMBER, false),
        UT("ut", 7, Type.NUMBER, false),
        VD("vd", 8, Type.DATA, false);

        final String json;
        final String cbor;
        final Type type;
        final boolean base;
        final int bit;

        Label(String json, int cbor, Type type, boolean base) {
            this.json = json;
            this.cbor = Integer.toString(cbor);
            this.type = type;
            this.base = base;
            this.bit = 1 << ordinal();
        }
    }

    private static final int BASE_BITS = Label.BVER.bit | Label.BN.bit | Label.BT.bit | Label.BU.bit
            | Label.BV.bit | Label.BS.bit;
    private static final int VALUE_BITS = Label.V.bit | Label.VS.bit | Label.VB.bit | Label.VD.bit;
    private static final Map<String, Label> JSON_LABELS = new HashMap<>();
    /** Jackson reports CBOR's integer map keys as their decimal text. */
    private static final Map<String, Label> CBOR_LABELS = new HashMap<>();

    static {
        for (Label label : Label.values()) {
            JSON_LABELS.put(label.json, label);
            CBOR_LABELS.put(label.cbor, label);
        }
    }

    /** The limits every JSON codec parses under ({@link JsonPayloadReader}), applied to a streaming parser. */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(JsonPayloadReader.MAX_NESTING_DEPTH)
            .maxNumberLength(JsonPayloadReader.MAX_NUMBER_LENGTH)
            .maxStringLength(JsonPayloadReader.MAX_PAYLOAD_BYTES)
            .build();

    // NaN and Infinity literals parse, so that such a value is a problem of its field and the rest of the pack is kept
    private final JsonFactory jsonFactory = JsonFactory.builder()
            .streamReadConstraints(LIMITS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private final CBORFactory cborFactory = CBORFactory.builder().streamReadConstraints(LIMITS).build();

    /**
     * Reads a device message: picks JSON or CBOR by its content type ({@link SenmlFormat#ofContentType}),
     * or {@code whenNoContentType} when the transport carries none (MQTT 3.1.1). The payload is never
     * parsed on trial: an unknown content type rejects the message.
     */
    public SenmlPack read(RawMessage message, String device, SenmlFormat whenNoContentType) {
        byte[] payload = message.payload();
        if (payload.length > JsonPayloadReader.MAX_PAYLOAD_BYTES) {
            return SenmlPack.rejected(new DecodeProblem(device, "$", "payload is " + payload.length + " bytes, more than the "
                    + JsonPayloadReader.MAX_PAYLOAD_BYTES + " bytes (1 MiB) a device message may have; not parsed"));
        }
        SenmlFormat format;
        String contentType = message.contentType();
        if (contentType == null || contentType.isBlank()) {
            format = whenNoContentType;
        } else {
            format = SenmlFormat.ofContentType(contentType).orElse(null);
            if (format == null) {
                return SenmlPack.rejected(new DecodeProblem(device, "$", "content type " + ProblemText.quote(contentType)
                        + " is not SenML: expected application/senml+json or application/senml+cbor (CoAP 110 or 112)"));
            }
        }
        if (format == SenmlFormat.JSON) {
            int bad = JsonPayloadReader.firstInvalidUtf8(payload);
            if (bad >= 0) {
                return SenmlPack.rejected(new DecodeProblem(device, "$", String.format(Locale.ROOT,
                        "payload is not valid UTF-8: bad byte 0x%02x at offset %d", payload[bad] & 0xff, bad)));
            }
        }
        return read(payload, format, message.receivedAt(), device);
    }

    /**
     * @param receivedAt what "now" is for relative times: UTC epoch milliseconds when the gateway received the pack
     * @param device who sent it, for problems
     */
    public SenmlPack read(byte[] payload, SenmlFormat format, long receivedAt, String device) {
        Map<String, Label> labels = format == SenmlFormat.JSON ? JSON_LABELS : CBOR_LABELS;
        Pass pass = new Pass(device, receivedAt);
        int index = 0;
        try (JsonParser parser = (format == SenmlFormat.JSON ? jsonFactory : cborFactory).createParser(payload)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_ARRAY) {
                return SenmlPack.rejected(new DecodeProblem(device, "$",
                        "a SenML pack is an array of records; found " + describe(token)));
            }
            Fields fields = new Fields();
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    return SenmlPack.rejected(new DecodeProblem(device, path(index), "payload is not valid " + format.name()
                            + ": it ends before the pack is closed"));
                }
                if (token != JsonToken.START_OBJECT) {
                    pass.problem(path(index), "a record is an object of labelled fields; found " + describe(token));
                    parser.skipChildren();
                } else {
                    fields.reset();
                    readFields(parser, labels, index, fields, pass);
                    if (fields.mustUnderstand != null) {
                        return SenmlPack.rejected(new DecodeProblem(device, path(index) + "." + fields.mustUnderstand,
                                "unknown field '" + fields.mustUnderstand + "' must be understood (RFC 8428 section 4.4): pack not used"));
                    }
                    DecodeProblem versionProblem = pass.checkVersion(fields, index);
                    if (versionProblem != null) {
                        return SenmlPack.rejected(versionProblem);
                    }
                    pass.accept(fields, index);
                }
                index++;
            }
            if (parser.nextToken() != null) {
                return SenmlPack.rejected(new DecodeProblem(device, "$", "unexpected data after the end of the pack"));
            }
        } catch (StreamConstraintsException e) {
            return SenmlPack.rejected(new DecodeProblem(device, path(index),
                    "payload exceeds a parser limit (nesting depth " + JsonPayloadReader.MAX_NESTING_DEPTH + ", number length "
                            + JsonPayloadReader.MAX_NUMBER_LENGTH + "): " + ProblemText.clean(e.getOriginalMessage(), 160)));
        } catch (JsonProcessingException e) {
            return SenmlPack.rejected(new DecodeProblem(device, path(index),
                    "payload is not valid " + format.name() + ": " + ProblemText.clean(firstLine(e.getOriginalMessage()), 160)));
        } catch (IOException | RuntimeException e) {
            // a RuntimeException here is a parser bug meeting a hostile payload: still a rejected pack, never a crash
            return SenmlPack.rejected(new DecodeProblem(device, path(index),
                    "payload is not valid " + format.name() + ": " + ProblemText.clean(firstLine(String.valueOf(e.getMessage())), 160)));
        }
        pass.finish();
        return new SenmlPack(pass.records, pass.problems, false);
    }

    private static String path(int index) {
        return "$[" + index + "]";
    }

    private static void readFields(JsonParser parser, Map<String, Label> labels, int index, Fields fields, Pass pass)
            throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            if (token != JsonToken.FIELD_NAME) {
                throw new IOException("expected a field label, found " + describe(token));
            }
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == null) {
                throw new IOException("the record ends after label '" + key + "'");
            }
            Label label = labels.get(key);
            if (label == null) {
                if (key.endsWith("_") && fields.mustUnderstand == null) {
                    fields.mustUnderstand = ProblemText.clean(key, ProblemText.QUOTE_LIMIT);
                }
                parser.skipChildren();
                continue;
            }
            if ((fields.seen & label.bit) != 0) {
                fields.bad |= label.bit;
                pass.problem(path(index) + "." + label.json, "field appears twice in one record");
                parser.skipChildren();
                continue;
            }
            fields.seen |= label.bit;
            String wrongType = readValue(parser, value, label, fields);
            if (wrongType != null) {
                fields.bad |= label.bit;
                pass.problem(path(index) + "." + label.json, wrongType);
                parser.skipChildren();
            }
        }
    }

    /** Stores the field's value, or returns what is wrong with it. */
    private static String readValue(JsonParser parser, JsonToken value, Label label, Fields fields) throws IOException {
        int i = label.ordinal();
        switch (label.type) {
            case STRING -> {
                if (value != JsonToken.VALUE_STRING) {
                    return "expected a string, found " + describe(value);
                }
                fields.strings[i] = parser.getText();
            }
            case NUMBER -> {
                if (!value.isNumeric()) {
                    return "expected a number, found " + describe(value);
                }
                double number = parser.getDoubleValue();
                if (!Double.isFinite(number)) {
                    return "not a finite number: " + number;
                }
                fields.numbers[i] = number;
            }
            case BOOLEAN -> {
                if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                    return "expected true or false, found " + describe(value);
                }
                fields.bool = value == JsonToken.VALUE_TRUE;
            }
            case DATA -> {
                // JSON carries base64url text, CBOR a byte string; nothing maps data values, so they are not decoded
                if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_EMBEDDED_OBJECT) {
                    return "expected binary data, found " + describe(value);
                }
            }
            case VERSION -> {
                if (value != JsonToken.VALUE_NUMBER_INT) {
                    return "expected a whole version number, found " + describe(value);
                }
                JsonParser.NumberType type = parser.getNumberType();
                fields.version = type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG
                        ? parser.getLongValue() : Long.MAX_VALUE;
            }
        }
        return null;
    }

    /** The labelled fields of one record; reused from record to record. */
    private static final class Fields {
        int seen;
        int bad;
        final String[] strings = new String[Label.values().length];
        final double[] numbers = new double[Label.values().length];
        boolean bool;
        long version;
        String mustUnderstand;

        void reset() {
            seen = 0;
            bad = 0;
            mustUnderstand = null;
        }

        boolean has(Label label) {
            return (seen & label.bit) != 0 && (bad & label.bit) == 0;
        }

        String string(Label label) {
            return strings[label.ordinal()];
        }

        double number(Label label) {
            return numbers[label.ordinal()];
        }
    }

    /** The base values in force and everything resolved so far. */
    private static final class Pass {
        final String device;
        final long receivedAt;
        final List<SenmlRecord> records = new ArrayList<>();
        final List<DecodeProblem> problems = new ArrayList<>();
        String baseName = "";
        double baseTime;
        String baseUnit;
        double baseValue;
        double baseSum;
        long version = HIGHEST_VERSION;
        boolean versionDeclared;
        /** The path of the record whose bad base field makes every later record unresolvable. */
        String brokenBaseAt;
        int droppedAfterBrokenBase;

        Pass(String device, long receivedAt) {
            this.device = device;
            this.receivedAt = receivedAt;
        }

        void problem(String path, String message) {
            problems.add(new DecodeProblem(device, path, message));
        }

        DecodeProblem checkVersion(Fields fields, int index) {
            String path = path(index);
            if (!fields.has(Label.BVER)) {
                return null;
            }
            long declared = fields.version;
            if (declared < 1) {
                return new DecodeProblem(device, path + ".bver", "SenML version must be a positive number, found " + declared);
            }
            if (declared > HIGHEST_VERSION) {
                return new DecodeProblem(device, path + ".bver", "SenML version " + (declared == Long.MAX_VALUE ? "(too large)" : declared)
                        + " is newer than " + HIGHEST_VERSION + ", the highest this gateway understands: pack not used");
            }
            if (versionDeclared && declared != version) {
                return new DecodeProblem(device, path + ".bver", "records declare SenML versions " + version + " and "
                        + declared + "; all records of a pack must share one: pack not used");
            }
            version = declared;
            versionDeclared = true;
            return null;
        }

        void accept(Fields fields, int index) {
            if (brokenBaseAt != null) {
                droppedAfterBrokenBase++;
                return;
            }
            if ((fields.bad & BASE_BITS) != 0) {
                brokenBaseAt = path(index);
                return;
            }
            if (fields.has(Label.BN)) {
                baseName = fields.string(Label.BN);
            }
            if (fields.has(Label.BT)) {
                baseTime = fields.number(Label.BT);
            }
            if (fields.has(Label.BU)) {
                baseUnit = fields.string(Label.BU);
            }
            if (fields.has(Label.BV)) {
                baseValue = fields.number(Label.BV);
            }
            if (fields.has(Label.BS)) {
                baseSum = fields.number(Label.BS);
            }
            if (fields.bad != 0) {
                return; // its problems are reported; its base fields were fine and apply to later records
            }
            SenmlRecord record = resolve(fields, index);
            if (record != null) {
                records.add(record);
            }
        }

        private SenmlRecord resolve(Fields fields, int index) {
            int values = Integer.bitCount(fields.seen & VALUE_BITS);
            boolean hasSum = fields.has(Label.S);
            if (values > 1) {
                problem(path(index), "a record carries exactly one of v, vs, vb and vd; this one has " + values);
                return null;
            }
            if (values == 0 && !hasSum) {
                if ((fields.seen & ~BASE_BITS) != 0) {
                    problem(path(index), "record has no value (v, vs, vb or vd) and no sum (s)");
                }
                return null; // only base fields: a header that sets them for the records after it
            }
            String name = baseName + (fields.has(Label.N) ? fields.string(Label.N) : "");
            if (name.isEmpty()) {
                problem(path(index) + ".n", "record has no name: neither n nor a base name bn");
                return null;
            }
            if (name.length() > MAX_NAME_LENGTH) {
                problem(path(index) + ".n", "name is " + name.length() + " characters long; at most " + MAX_NAME_LENGTH + " are accepted");
                return null;
            }
            double seconds = baseTime + (fields.has(Label.T) ? fields.number(Label.T) : 0);
            long timestamp = timestamp(seconds);
            if (timestamp <= 0 || timestamp > LATEST_TIMESTAMP) {
                problem(path(index) + ".t", "time " + seconds + " s (base time + time) is not a moment between 1970 and 9999; record dropped");
                return null;
            }
            if (timestamp > receivedAt + MAX_AHEAD_MILLIS) {
                // a measurement cannot be in the future: a clock running ahead, or uptime sent as a relative time
                problem(path(index) + ".t", "time " + seconds + " s is " + (timestamp - receivedAt) / 1000
                        + " s after the gateway received the pack; receive time used");
                timestamp = receivedAt;
            }
            String unit = fields.has(Label.U) ? fields.string(Label.U) : baseUnit;
            double sum = hasSum ? baseSum + fields.number(Label.S) : 0;
            if (fields.has(Label.V)) {
                return new SenmlRecord(index, name, unit, SenmlRecord.Kind.NUMBER,
                        baseValue + fields.number(Label.V), hasSum, sum, false, null, timestamp);
            }
            if (fields.has(Label.VB)) {
                return new SenmlRecord(index, name, unit, SenmlRecord.Kind.BOOLEAN, 0, hasSum, sum, fields.bool, null, timestamp);
            }
            if (fields.has(Label.VS)) {
                return new SenmlRecord(index, name, unit, SenmlRecord.Kind.STRING, 0, hasSum, sum, false,
                        fields.string(Label.VS), timestamp);
            }
            if (fields.has(Label.VD)) {
                return new SenmlRecord(index, name, unit, SenmlRecord.Kind.DATA, 0, hasSum, sum, false, null, timestamp);
            }
            return new SenmlRecord(index, name, unit, SenmlRecord.Kind.SUM_ONLY, 0, true, sum, false, null, timestamp);
        }

        /** Epoch milliseconds for a SenML time in seconds, or 0 when it cannot be one. */
        private long timestamp(double seconds) {
            double millis = seconds < RELATIVE_TIME_LIMIT ? receivedAt + seconds * 1000 : seconds * 1000;
            if (!(millis > 0 && millis <= LATEST_TIMESTAMP)) {
                return 0;
            }
            return Math.round(millis);
        }

        void finish() {
            if (brokenBaseAt != null) {
                problem(brokenBaseAt, "a base field is invalid, so this record and the " + droppedAfterBrokenBase
                        + " after it cannot be resolved and were dropped");
            }
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the payload";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_EMBEDDED_OBJECT -> "binary data";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
