package org.smartschool.bridge.uplink;

import static org.smartschool.bridge.uplink.WireCatalog.EVENT_ELEMENTS;
import static org.smartschool.bridge.uplink.WireCatalog.GROUP_ELEMENTS;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_BASE_TIME;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_BATCH_ID;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_COUNT;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_EVENTS;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_GATEWAY;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_GROUPS;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_SCHOOL;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_STRINGS;
import static org.smartschool.bridge.uplink.WireCatalog.SERIES_ELEMENTS;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * Writes the CBOR body of a version 1 frame. Readings are grouped into series (room, device,
 * quantity); the series of one device that were sampled at the same instants form a group and
 * share one column of time deltas; each series is a column of decimal mantissa deltas.
 *
 * <p>One instance per batch. The grouping works on int arrays so that encoding allocates nothing
 * per reading.
 */
final class BodyWriter {
    private final Batch batch;
    private final List<Reading> readings;

    private final Map<String, Integer> stringIndex = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    /** room -> device -> series number per quantity wire number (-1: none yet). */
    private final Map<String, Map<String, int[]>> seriesByRoom = new HashMap<>();

    private int seriesCount;
    private final int[] seriesRoom;
    private final int[] seriesDevice;
    private final int[] seriesQuantity;
    /** Where each series' readings start in {@link #order}; seriesStart[s + 1] is where they end. */
    private final int[] seriesStart;
    /** Reading indices grouped by series, each series in input order. */
    private final int[] order;
    private final long[] mantissas;
    private long baseTime;

    /** Groups in order of first appearance; each a list of series sharing one time column. */
    private final List<List<Integer>> groups = new ArrayList<>();

    BodyWriter(Batch batch) {
        this.batch = batch;
        this.readings = batch.readings();
        int n = readings.size();
        seriesRoom = new int[n];
        seriesDevice = new int[n];
        seriesQuantity = new int[n];
        seriesStart = new int[n + 1];
        order = new int[n];
        mantissas = new long[n];
    }

    byte[] write(CBORFactory cbor) throws IOException {
        groupIntoSeries();
        groupByDeviceAndTimes();
        for (DeviceEvent e : batch.events()) {
            indexOf(e.room());
            indexOf(e.device());
        }
        baseTime = baseTime();

        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 6 * readings.size() + 160 * batch.events().size());
        try (CBORGenerator g = cbor.createGenerator(out)) {
            g.writeStartObject(batch, KEY_COUNT);
            g.writeFieldId(KEY_BATCH_ID);
            g.writeString(batch.batchId());
            g.writeFieldId(KEY_GATEWAY);
            g.writeString(batch.gatewayId());
            g.writeFieldId(KEY_SCHOOL);
            g.writeString(batch.school());
            g.writeFieldId(KEY_BASE_TIME);
            g.writeNumber(baseTime);
            g.writeFieldId(KEY_STRINGS);
            g.writeStartArray(strings, strings.size());
            for (String s : strings) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeFieldId(KEY_GROUPS);
            g.writeStartArray(groups, groups.size());
            for (List<Integer> group : groups) {
                writeGroup(g, group);
            }
            g.writeEndArray();
            g.writeFieldId(KEY_EVENTS);
            g.writeStartArray(batch.events(), batch.events().size());
            for (DeviceEvent e : batch.events()) {
                writeEvent(g, e);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void groupIntoSeries() {
        int n = readings.size();
        int[] seriesOf = new int[n];
        int[] counts = new int[n + 1];
        for (int i = 0; i < n; i++) {
            Reading r = readings.get(i);
            Map<String, int[]> devices = seriesByRoom.computeIfAbsent(r.room(), room -> new HashMap<>());
            int[] byQuantity = devices.get(r.device());
            if (byQuantity == null) {
                byQuantity = new int[WireCatalog.quantityCount()];
                Arrays.fill(byQuantity, -1);
                devices.put(r.device(), byQuantity);
            }
            int q = WireCatalog.number(r.quantity());
            int s = byQuantity[q];
            if (s < 0) {
                s = seriesCount++;
                byQuantity[q] = s;
                seriesRoom[s] = indexOf(r.room());
                seriesDevice[s] = indexOf(r.device());
                seriesQuantity[s] = q;
            }
            seriesOf[i] = s;
            counts[s + 1]++;
        }
        for (int s = 0; s < seriesCount; s++) {
            seriesStart[s + 1] = seriesStart[s] + counts[s + 1];
        }
        int[] next = Arrays.copyOf(seriesStart, seriesCount + 1);
        for (int i = 0; i < n; i++) {
            order[next[seriesOf[i]]++] = i;
        }
    }

    private int indexOf(String s) {
        Integer index = stringIndex.get(s);
        if (index == null) {
            index = strings.size();
            stringIndex.put(s, index);
            strings.add(s);
        }
        return index;
    }

    /** The earliest time in the batch, so that first offsets are small and never negative. */
    private long baseTime() {
        long min = Long.MAX_VALUE;
        for (Reading r : readings) {
            min = Math.min(min, r.timestamp());
        }
        for (DeviceEvent e : batch.events()) {
            min = Math.min(min, e.timestamp());
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /**
     * Puts each series into the first earlier group of the same device with exactly the same
     * timestamps, or into a new group. A device's message usually carries several quantities
     * stamped alike (CO2, temperature and humidity), so their times are written once.
     */
    private void groupByDeviceAndTimes() {
        Map<Long, List<List<Integer>>> groupsByDevice = new HashMap<>();
        for (int s = 0; s < seriesCount; s++) {
            long device = ((long) seriesRoom[s] << 32) | seriesDevice[s];
            List<List<Integer>> candidates = groupsByDevice.computeIfAbsent(device, d -> new ArrayList<>());
            List<Integer> group = null;
            for (List<Integer> candidate : candidates) {
                if (sameTimes(candidate.get(0), s)) {
                    group = candidate;
                    break;
                }
            }
            if (group == null) {
                group = new ArrayList<>();
                candidates.add(group);
                groups.add(group);
            }
            group.add(s);
        }
    }

    private boolean sameTimes(int a, int b) {
        int length = seriesStart[a + 1] - seriesStart[a];
        if (length != seriesStart[b + 1] - seriesStart[b]) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (readings.get(order[seriesStart[a] + k]).timestamp() != readings.get(order[seriesStart[b] + k]).timestamp()) {
                return false;
            }
        }
        return true;
    }

    /** [room, device, [time deltas], [series...]] */
    private void writeGroup(CBORGenerator g, List<Integer> group) throws IOException {
        int first = group.get(0);
        g.writeStartArray(group, GROUP_ELEMENTS);
        g.writeNumber(seriesRoom[first]);
        g.writeNumber(seriesDevice[first]);

        int from = seriesStart[first];
        int to = seriesStart[first + 1];
        g.writeStartArray(null, to - from);
        long previousTime = baseTime;
        for (int k = from; k < to; k++) {
            long t = readings.get(order[k]).timestamp();
            g.writeNumber(t - previousTime);
            previousTime = t;
        }
        g.writeEndArray();

        g.writeStartArray(null, group.size());
        for (int s : group) {
            writeSeries(g, s);
        }
        g.writeEndArray();
        g.writeEndArray();
    }

    /** [quantity, exponent or null, [mantissa deltas or floats]] */
    private void writeSeries(CBORGenerator g, int s) throws IOException {
        int from = seriesStart[s];
        int to = seriesStart[s + 1];
        int decimals = decimalsOf(from, to);

        g.writeStartArray(null, SERIES_ELEMENTS);
        g.writeNumber(seriesQuantity[s]);
        if (decimals == DecimalScale.NOT_DECIMAL) {
            g.writeNull();
        } else {
            g.writeNumber(-decimals);
        }
        g.writeStartArray(null, to - from);
        if (decimals == DecimalScale.NOT_DECIMAL) {
            for (int k = from; k < to; k++) {
                g.writeNumber(readings.get(order[k]).value());
            }
        } else {
            long previous = 0;
            for (int k = from; k < to; k++) {
                g.writeNumber(mantissas[k] - previous);
                previous = mantissas[k];
            }
        }
        g.writeEndArray();
        g.writeEndArray();
    }

    /**
     * The fewest decimals that represent every value of the series exactly, with the mantissas
     * left in {@link #mantissas}; {@link DecimalScale#NOT_DECIMAL} when some value is not a decimal.
     */
    private int decimalsOf(int from, int to) {
        int decimals = 0;
        for (int k = from; k < to; k++) {
            int d = DecimalScale.decimalsOf(readings.get(order[k]).value());
            if (d == DecimalScale.NOT_DECIMAL) {
                return DecimalScale.NOT_DECIMAL;
            }
            decimals = Math.max(decimals, d);
        }
        for (int k = from; k < to; k++) {
            long m = DecimalScale.mantissa(readings.get(order[k]).value(), decimals);
            if (m == Long.MIN_VALUE) {
                return DecimalScale.NOT_DECIMAL;
            }
            mantissas[k] = m;
        }
        return decimals;
    }

    private void writeEvent(CBORGenerator g, DeviceEvent e) throws IOException {
        g.writeStartArray(e, EVENT_ELEMENTS);
        g.writeString(e.id());
        g.writeNumber(WireCatalog.number(e.type()));
        g.writeNumber(indexOf(e.room()));
        g.writeNumber(indexOf(e.device()));
        g.writeNumber(e.timestamp() - baseTime);
        // Sorted, so that the same batch always encodes to the same bytes.
        Map<String, String> attributes = new TreeMap<>(e.attributes());
        g.writeStartObject(attributes, attributes.size());
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            g.writeFieldName(a.getKey());
            g.writeString(a.getValue());
        }
        g.writeEndObject();
        g.writeEndArray();
    }
}
