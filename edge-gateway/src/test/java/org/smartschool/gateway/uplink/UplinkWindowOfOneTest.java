package org.smartschool.gateway.uplink;

/**
 * {@code uplink.windowBatches: 1} behaves as the uplink did before it had a window: every test of
 * {@link UplinkTest} again, with one batch in flight at a time.
 */
class UplinkWindowOfOneTest extends UplinkTest {
    @Override
    int windowBatches() {
        return 1;
    }
}
