package org.smartschool.bridge.codec.devicetime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IsoTimestampTest {

    @Test
    void readsTheCommonShapesLikeTheFormatter() {
        for (String text : new String[] {"2025-03-10T09:14:00+07:00", "2019-03-01T15:32:45.941Z", "2024-02-29T23:59:59.5-03:30",
                "2000-01-01T00:00:00.123456789Z", "1969-12-31T23:59:59.999Z", "2025-03-10T01:00:00-00:00", "2025-03-10T09:14:00+18:00"}) {
            assertThat(IsoTimestamp.fastEpochMillis(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant().toEpochMilli());
        }
    }

    @Test
    void leavesEveryOtherShapeAndEveryImpossibleValueToTheFormatter() {
        for (String text : new String[] {"2025-02-29T09:14:00Z", "2025-03-10T24:00:00Z", "2025-03-10T09:14:00+18:01",
                "2025-03-10T09:14:00", "2025-03-10 09:14:00Z", "2025-03-10T09:14:00z", "2025-03-10T09:14:00+0700",
                "2025-03-10T09:14:00.Z", "2025-03-10T09:14:00.1234567890Z", "2025-03-10T09:14Z", "+2025-03-10T09:14:00Z", ""}) {
            assertThat(IsoTimestamp.fastEpochMillis(text)).as(text).isEqualTo(IsoTimestamp.NOT_FAST);
        }
    }

    @Test
    void agreesWithTheFormatterOnEveryTextItAccepts() {
        Random random = new Random(7);
        String alphabet = "0123456789-:T.Z+ ";
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            char[] text = "2025-03-10T09:14:00.123+07:00".toCharArray();
            for (int k = random.nextInt(4); k >= 0; k--) {
                text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String s = new String(text, 0, 19 + random.nextInt(text.length - 18));
            long fast = IsoTimestamp.fastEpochMillis(s);
            if (fast != IsoTimestamp.NOT_FAST) {
                accepted++;
                long parsed;
                try {
                    parsed = OffsetDateTime.parse(s).toInstant().toEpochMilli();
                } catch (DateTimeException e) {
                    throw new AssertionError("accepted what the formatter refuses: " + s, e);
                }
                assertThat(fast).as(s).isEqualTo(parsed);
            }
        }
        assertThat(accepted).isGreaterThan(1_000);
    }
}
