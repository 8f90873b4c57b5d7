package org.smartschool.hub.live;

import java.util.List;
import java.util.Objects;

import org.smartschool.hub.alarm.AlarmRecord;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.store.LatestValue;

/** Something the console shows that has just changed; always of one school, by which streams are scoped. */
public sealed interface LiveEvent {

    /** The school it concerns: a school's user receives only its own school's events. */
    String school();

    /** The event's name on the stream ({@code event:} line). */
    String name();

    /** New latest values of one room, from a stored batch: the newest of each device and quantity. */
    record RoomValues(String school, String room, List<LatestValue> values) implements LiveEvent {
        public RoomValues {
            Objects.requireNonNull(school, "school");
            Objects.requireNonNull(room, "room");
            values = List.copyOf(values);
        }

        @Override
        public String name() {
            return "reading";
        }
    }

    /**
     * An alarm as it is after a change.
     *
     * @param change {@code raised}, {@code changed} (severity), {@code cleared}, {@code acknowledged} or {@code escalated}
     */
    record AlarmChanged(AlarmRecord alarm, String change) implements LiveEvent {
        public AlarmChanged {
            Objects.requireNonNull(alarm, "alarm");
            Objects.requireNonNull(change, "change");
        }

        @Override
        public String school() {
            return alarm.school();
        }

        @Override
        public String name() {
            return "alarm";
        }
    }

    /** A gateway went online, offline, silent or came back. */
    record GatewayChanged(FleetEvent event) implements LiveEvent {
        public GatewayChanged {
            Objects.requireNonNull(event, "event");
        }

        @Override
        public String school() {
            return event.school();
        }

        @Override
        public String name() {
            return "gateway";
        }
    }

    /**
     * An event another hub replica learnt (its gateway, its API call), as that replica encoded it for the streams:
     * passed on to this replica's streams as it is, never relayed again.
     *
     * @param data the event's JSON, one line
     */
    record Relayed(String school, String name, String data) implements LiveEvent {
        public Relayed {
            Objects.requireNonNull(school, "school");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(data, "data");
        }
    }
}
