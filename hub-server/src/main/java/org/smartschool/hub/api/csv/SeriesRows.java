package org.smartschool.hub.api.csv;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.SeriesPoint;
import org.smartschool.hub.store.SeriesQuery;

/**
 * An aggregated series as CSV records, {@value #STEPS} steps per store query: the window is cut at
 * multiples of the step (steps are aligned to the epoch), so no step is split between two queries and
 * each is computed by the store exactly as one query over the whole window would.
 *
 * <p>Columns: {@code time,timestamp,school,room,device,quantity,agg,step,value,unit}; {@code device} is
 * empty when the series is of every device of the room. The query's {@code limit} bounds the number of steps.
 */
public final class SeriesRows implements CsvRows {
    static final int STEPS = 1_000;
    private static final List<String> HEADER = List.of("time", "timestamp", "school", "room", "device", "quantity", "agg",
            "step", "value", "unit");

    private final ReadingStore store;
    private final SeriesQuery query;
    private final long steps;
    private long cursor;
    private long remaining;

    public SeriesRows(ReadingStore store, SeriesQuery query) {
        this(store, query, STEPS);
    }

    SeriesRows(ReadingStore store, SeriesQuery query, long steps) {
        this.store = store;
        this.query = query;
        this.steps = steps;
        this.cursor = query.readings().fromMillis();
        this.remaining = query.readings().limit();
    }

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public List<String> next() {
        ReadingQuery window = query.readings();
        long step = query.stepMillis();
        List<String> out = new ArrayList<>();
        while (out.isEmpty() && cursor < window.toMillis() && remaining > 0) {
            long alignedStart = Math.floorDiv(cursor, step) * step;
            long end = Math.min(window.toMillis(), alignedStart + steps * step);
            List<SeriesPoint> points = store.series(new SeriesQuery(new ReadingQuery(window.school(), window.room(),
                    window.quantity(), window.device(), cursor, end, (int) steps + 1), query.step(), query.aggregation()));
            for (SeriesPoint p : points) {
                if (remaining > 0) {
                    out.add(record(p));
                    remaining--;
                }
            }
            cursor = end;
        }
        return out;
    }

    private String record(SeriesPoint p) {
        ReadingQuery window = query.readings();
        return CsvFormat.record(List.of(CsvFormat.time(p.timestamp()), Long.toString(p.timestamp()), window.school(),
                window.room(), window.device().orElse(""), window.quantity().id(), query.aggregation().id(),
                query.step().toString(), CsvFormat.number(p.value()), window.quantity().unit()));
    }
}
