package org.smartschool.bridge.codec.senml;

/**
 * One resolved SenML record (RFC 8428 section 4.6): base name, base time, base unit, base value and base
 * sum applied, time made absolute. Exactly one of the value kinds is set, or only a sum.
 *
 * @param index the record's position in the pack, for problem paths ({@code $[index].v})
 * @param name base name + name; never empty, not yet validated (LwM2M paths start with '/')
 * @param unit the record's unit or the base unit; null when neither was sent
 * @param kind which value the record carries
 * @param number base value + value when {@code kind} is {@link Kind#NUMBER}
 * @param sum base sum + sum when {@code hasSum}
 * @param bool the boolean value when {@code kind} is {@link Kind#BOOLEAN}
 * @param string the string value when {@code kind} is {@link Kind#STRING}
 * @param timestamp UTC epoch milliseconds: base time + time, relative ones resolved against the time the
 *                  message was received
 */
public record SenmlRecord(int index, String name, String unit, Kind kind, double number, boolean hasSum, double sum,
                          boolean bool, String string, long timestamp) {

    /** Which value field the record carried. */
    public enum Kind {
        /** {@code v} */
        NUMBER,
        /** {@code vb} */
        BOOLEAN,
        /** {@code vs} */
        STRING,
        /** {@code vd}: the bytes are not kept, nothing maps them */
        DATA,
        /** no value field, only {@code s} */
        SUM_ONLY
    }

    /** The path of one of this record's fields, for problems: {@code $[3].v}. */
    public String path(String label) {
        return "$[" + index + "]." + label;
    }

    /** The path of the value field this record carries. */
    public String valuePath() {
        return path(switch (kind) {
            case NUMBER -> "v";
            case BOOLEAN -> "vb";
            case STRING -> "vs";
            case DATA -> "vd";
            case SUM_ONLY -> "s";
        });
    }
}
