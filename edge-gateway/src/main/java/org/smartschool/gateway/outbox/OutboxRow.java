package org.smartschool.gateway.outbox;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * A row about to be appended to the outbox: readings only or events only (the overflow policy
 * drops the oldest readings and never an event), in {@link CompactRecords} form.
 *
 * @param readings the readings it holds (empty for a row of events): a row of readings can be cut
 *                 to its newest readings when a bound leaves room for only part of it
 */
record OutboxRow(String kind, int records, byte[] body, List<Reading> readings) {

    /** The rows of one device frame: its readings, then its events, at most {@link CompactRecords#MAX_RECORDS_PER_ROW} a row. */
    static List<OutboxRow> of(List<Reading> readings, List<DeviceEvent> events) {
        List<OutboxRow> rows = new ArrayList<>(2);
        for (int i = 0; i < readings.size(); i += CompactRecords.MAX_RECORDS_PER_ROW) {
            rows.add(readings(readings.subList(i, Math.min(readings.size(), i + CompactRecords.MAX_RECORDS_PER_ROW))));
        }
        for (int i = 0; i < events.size(); i += CompactRecords.MAX_RECORDS_PER_ROW) {
            rows.add(events(events.subList(i, Math.min(events.size(), i + CompactRecords.MAX_RECORDS_PER_ROW))));
        }
        return rows;
    }

    /** Rows for records in this order ({@link Reading}s and {@link DeviceEvent}s), each run of one kind in rows of its own. */
    static List<OutboxRow> inOrder(List<Object> records) {
        List<OutboxRow> rows = new ArrayList<>();
        List<Reading> readings = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        for (Object record : records) {
            if (record instanceof Reading r) {
                if (!events.isEmpty()) {
                    rows.addAll(of(List.of(), events));
                    events.clear();
                }
                readings.add(r);
            } else {
                if (!readings.isEmpty()) {
                    rows.addAll(of(readings, List.of()));
                    readings.clear();
                }
                events.add((DeviceEvent) record);
            }
        }
        rows.addAll(of(readings, events)); // one of the two is empty
        return rows;
    }

    static OutboxRow readings(List<Reading> readings) {
        List<Reading> copy = List.copyOf(readings);
        return new OutboxRow(Outbox.KIND_READINGS, copy.size(), CompactRecords.encodeReadings(copy), copy);
    }

    static OutboxRow events(List<DeviceEvent> events) {
        return new OutboxRow(Outbox.KIND_EVENTS, events.size(), CompactRecords.encodeEvents(events), List.of());
    }

    static long records(List<OutboxRow> rows) {
        long n = 0;
        for (OutboxRow row : rows) {
            n += row.records();
        }
        return n;
    }

    static long bytes(List<OutboxRow> rows) {
        long n = 0;
        for (OutboxRow row : rows) {
            n += row.bytes();
        }
        return n;
    }

    /** What the row counts for in the byte bound: its body and {@link Outbox#ROW_OVERHEAD_BYTES}. */
    long bytes() {
        return body.length + (long) Outbox.ROW_OVERHEAD_BYTES;
    }

    boolean isReading() {
        return Outbox.KIND_READINGS.equals(kind);
    }

    /** This row of readings without its {@code k} oldest (0 < k < records). */
    OutboxRow withoutOldest(int k) {
        return readings(readings.subList(k, readings.size()));
    }
}
