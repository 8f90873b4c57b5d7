package org.smartschool.gateway.wired;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The wired devices' health as meters (tag {@code gateway=<id>}, and {@code device}, {@code kind}
 * per device), read from {@link WiredDevices#status()} when the registry is scraped:
 * {@code gateway_wired_online} (1 or 0), {@code gateway_wired_read_failures_total},
 * {@code gateway_wired_crc_errors_total}, {@code gateway_wired_samples_total}, and the sink's
 * {@code gateway_wired_messages_total} by {@code outcome} (recorded, rejected, dropped).
 */
public final class WiredMeters {
    private WiredMeters() {
    }

    public static void bind(WiredDevices devices, MeterRegistry registry, String gatewayId) {
        Tags gateway = Tags.of("gateway", gatewayId);
        for (WiredStatus s : devices.status()) {
            Tags tags = gateway.and("device", s.device(), "kind", s.kind());
            String device = s.device();
            String kind = s.kind();
            Gauge.builder("gateway_wired_online", devices, d -> field(d, device, kind, st -> st.online() ? 1 : 0))
                    .description("1 while the wired device answers, 0 while it is reported offline")
                    .tags(tags).register(registry);
            counter(registry, "gateway_wired_read_failures_total", "failed reads of a wired device (I/O errors, data never ready, CRC)",
                    tags, devices, d -> field(d, device, kind, WiredStatus::failures));
            counter(registry, "gateway_wired_crc_errors_total", "answers of a wired sensor whose CRC did not match (sample skipped)",
                    tags, devices, d -> field(d, device, kind, WiredStatus::crcErrors));
            counter(registry, "gateway_wired_samples_total", "good samples, settled contact changes or UART lines",
                    tags, devices, d -> field(d, device, kind, WiredStatus::samples));
        }
        WiredSink sink = devices.sink();
        counter(registry, "gateway_wired_messages_total", "wired messages the outbox committed", gateway.and("outcome", "recorded"),
                sink, WiredSink::recorded);
        counter(registry, "gateway_wired_messages_total", "wired messages the intake refused (dead letters)", gateway.and("outcome", "rejected"),
                sink, WiredSink::rejected);
        counter(registry, "gateway_wired_messages_total", "wired messages lost (full outbox: readings, UART lines)", gateway.and("outcome", "dropped"),
                sink, WiredSink::dropped);
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, Tags tags, T source,
                                    ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).tags(tags).register(registry);
    }

    private static double field(WiredDevices devices, String device, String kind, ToDoubleFunction<WiredStatus> value) {
        for (WiredStatus s : devices.status()) {
            if (s.device().equals(device) && s.kind().equals(kind)) {
                return value.applyAsDouble(s);
            }
        }
        return Double.NaN;
    }
}
