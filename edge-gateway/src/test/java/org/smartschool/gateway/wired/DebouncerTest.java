package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Verifies that contacts settle before they count and that only changes are reported. */
class DebouncerTest {

    @Test
    void reportsALevelOnlyAfterItHeldForTheDebounceTime() {
        Debouncer d = new Debouncer(50, false);
        long checkAt = d.edge(true, 1_000);
        assertThat(checkAt).isEqualTo(1_050);
        assertThat(d.settle(1_049)).isEmpty();
        assertThat(d.settle(1_050)).contains(new Debouncer.Change(true, 1_000));
        assertThat(d.reported()).isTrue();
    }

    @Test
    void ignoresBouncesThatEndOnTheReportedLevel() {
        Debouncer d = new Debouncer(50, false);
        d.edge(true, 1_000);
        d.edge(false, 1_010);
        d.edge(true, 1_020);
        d.edge(false, 1_030);
        assertThat(d.settle(1_100)).isEmpty();
        assertThat(d.reported()).isFalse();
    }

    @Test
    void stampsTheChangeWithTheEdgeThatStartedTheStableLevel() {
        Debouncer d = new Debouncer(50, false);
        d.edge(true, 1_000);
        d.edge(false, 1_005);
        long checkAt = d.edge(true, 1_012);
        assertThat(checkAt).isEqualTo(1_062);
        assertThat(d.settle(1_055)).isEmpty();
        assertThat(d.settle(1_062)).contains(new Debouncer.Change(true, 1_012));
    }

    @Test
    void reportsTheFirstLevelWhenNothingWasKnown() {
        Debouncer d = new Debouncer(20, null);
        assertThat(d.settle(5_000)).isEmpty();
        d.edge(false, 5_000);
        assertThat(d.settle(5_020)).contains(new Debouncer.Change(false, 5_000));
        assertThat(d.settle(6_000)).isEmpty();
    }
}
