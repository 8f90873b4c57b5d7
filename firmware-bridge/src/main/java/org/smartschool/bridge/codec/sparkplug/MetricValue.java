package org.smartschool.bridge.codec.sparkplug;

import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;

/**
 * The value of one Sparkplug B metric, read by its datatype (Sparkplug 3.0 section 6.4.16: the integer
 * types travel as protobuf uint32/uint64 and are narrowed by the datatype).
 *
 * @param problem why there is no usable value, when {@code kind} is {@link Kind#PROBLEM}
 */
record MetricValue(Kind kind, double number, boolean bool, String problem) {

    enum Kind {
        NUMBER,
        BOOLEAN,
        TEXT,
        /** is_null set: the metric has no value at this time */
        NULL,
        /** DateTime, DataSet, Template, Bytes, File, arrays...: nothing canonical carries them */
        UNSUPPORTED,
        PROBLEM
    }

    private static final MetricValue NULL = new MetricValue(Kind.NULL, 0, false, null);
    private static final MetricValue TEXT = new MetricValue(Kind.TEXT, 0, false, null);
    private static final MetricValue UNSUPPORTED = new MetricValue(Kind.UNSUPPORTED, 0, false, null);

    static MetricValue number(double value) {
        return Double.isFinite(value) ? new MetricValue(Kind.NUMBER, value, false, null)
                : problem("not a finite number: " + value);
    }

    static MetricValue problem(String why) {
        return new MetricValue(Kind.PROBLEM, 0, false, why);
    }

    /**
     * @param datatype the metric's own datatype, else the one its BIRTH defined, else 0 (unknown)
     */
    static MetricValue read(SparkplugBProto.Payload.Metric metric, int datatype) {
        if (metric.getIsNull()) {
            return NULL;
        }
        DataType type = DataType.forNumber(datatype);
        if (type == null) {
            return problem("unknown datatype " + datatype);
        }
        return switch (type) {
            case Int8, Int16, Int32, UInt8, UInt16, UInt32 -> integer(metric, type);
            case Int64 -> metric.hasLongValue() ? number(metric.getLongValue()) : mismatch(metric, type);
            case UInt64 -> metric.hasLongValue() ? number(unsigned(metric.getLongValue())) : mismatch(metric, type);
            case Float -> metric.hasFloatValue() ? number(metric.getFloatValue()) : mismatch(metric, type);
            case Double -> metric.hasDoubleValue() ? number(metric.getDoubleValue()) : mismatch(metric, type);
            case Boolean -> metric.hasBooleanValue() ? new MetricValue(Kind.BOOLEAN, 0, metric.getBooleanValue(), null)
                    : mismatch(metric, type);
            case String, Text, UUID -> metric.hasStringValue() ? TEXT : mismatch(metric, type);
            case Unknown -> inferred(metric);
            default -> UNSUPPORTED;
        };
    }

    private static MetricValue integer(SparkplugBProto.Payload.Metric metric, DataType type) {
        if (!metric.hasIntValue()) {
            if (type == DataType.UInt32 && metric.hasLongValue()) {
                return number(metric.getLongValue()); // Sparkplug 3.0 allows UInt32 in long_value
            }
            return mismatch(metric, type);
        }
        int raw = metric.getIntValue();
        return number(switch (type) {
            case Int8 -> (byte) raw;
            case Int16 -> (short) raw;
            case UInt8 -> raw & 0xFF;
            case UInt16 -> raw & 0xFFFF;
            case UInt32 -> Integer.toUnsignedLong(raw);
            default -> raw;
        });
    }

    /** Without a datatype only values whose wire type says what they are can be read. */
    private static MetricValue inferred(SparkplugBProto.Payload.Metric metric) {
        if (metric.hasFloatValue()) {
            return number(metric.getFloatValue());
        }
        if (metric.hasDoubleValue()) {
            return number(metric.getDoubleValue());
        }
        if (metric.hasBooleanValue()) {
            return new MetricValue(Kind.BOOLEAN, 0, metric.getBooleanValue(), null);
        }
        if (metric.hasStringValue()) {
            return TEXT;
        }
        if (metric.hasIntValue() || metric.hasLongValue()) {
            return problem("no datatype (neither in the metric nor in a BIRTH seen), so its integer value's sign and width"
                    + " are unknown; a rebirth is needed");
        }
        return problem("no datatype and no value");
    }

    private static MetricValue mismatch(SparkplugBProto.Payload.Metric metric, DataType type) {
        return problem("datatype " + type.name() + " but the value field is " + metric.getValueCase().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static double unsigned(long value) {
        return value >= 0 ? value : (double) (value >>> 1) * 2.0 + (value & 1);
    }
}
