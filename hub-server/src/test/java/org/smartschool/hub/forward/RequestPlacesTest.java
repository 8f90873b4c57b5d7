package org.smartschool.hub.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The dispatcher's request places: caps per endpoint and in all, deliveries claimed ahead, hand-over of places. */
class RequestPlacesTest {

    /**
     * Verifies that a subscription gets its places, then its deliveries wait (as many as it may claim ahead), and
     * that each request that ends hands its place to the oldest waiting delivery of its subscription.
     */
    @Test
    void deliveriesBeyondAnEndpointsPlacesWaitAndTakeThePlaceOfEachRequestThatEnds() {
        RequestPlaces<String> places = new RequestPlaces<>(2, 8, 4);
        assertThat(places.room("sms")).isEqualTo(6);
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            if (places.admit("sms", "d" + i)) {
                sent.add("d" + i);
            }
        }
        assertThat(sent).containsExactly("d1", "d2");
        assertThat(places.running()).isEqualTo(2);
        assertThat(places.room("sms")).isZero();
        assertThat(places.startable()).as("no place free").isEmpty();

        assertThat(places.ended("sms")).isEqualTo("d3");
        assertThat(places.ended("sms")).isEqualTo("d4");
        assertThat(places.running()).isEqualTo(2);
        assertThat(places.room("sms")).isEqualTo(2);
        assertThat(places.ended("sms")).isEqualTo("d5");
        assertThat(places.ended("sms")).isEqualTo("d6");
        assertThat(places.ended("sms")).isNull();
        assertThat(places.ended("sms")).isNull();
        assertThat(places.running()).isZero();
        assertThat(places.room("sms")).isEqualTo(6);
        assertThat(places.free()).isEqualTo(16);
    }

    /**
     * Verifies that the places in all bind too: a delivery waits while other subscriptions hold them, and takes the
     * one another subscription's request frees ({@link RequestPlaces#startable}).
     */
    @Test
    void aPlaceFreedByAnotherSubscriptionGoesToADeliveryWaitingForOne() {
        RequestPlaces<String> places = new RequestPlaces<>(2, 3, 2);
        assertThat(places.admit("a", "a1")).isTrue();
        assertThat(places.admit("a", "a2")).isTrue();
        assertThat(places.admit("b", "b1")).isTrue();
        assertThat(places.admit("b", "b2")).as("three in all").isFalse();
        assertThat(places.running()).isEqualTo(3);
        assertThat(places.startable()).isEmpty();

        assertThat(places.ended("a")).as("a has nothing waiting").isNull();
        assertThat(places.startable()).containsExactly("b2");
        assertThat(places.running()).isEqualTo(3);
        assertThat(places.free()).isEqualTo(3);
    }

    /** Verifies that a delivery claimed ahead waits at most this many request timeouts: what its lease covers. */
    @Test
    void roundsAheadCountTheRequestsBeforeTheLastDeliveryClaimed() {
        assertThat(new RequestPlaces<String>(32, 128, 96).roundsAhead()).isEqualTo(3);
        assertThat(new RequestPlaces<String>(32, 128, 33).roundsAhead()).isEqualTo(2);
        assertThat(new RequestPlaces<String>(4, 16, 0).roundsAhead()).isZero();
    }
}
