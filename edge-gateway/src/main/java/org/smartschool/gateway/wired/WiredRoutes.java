package org.smartschool.gateway.wired;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.config.WiredSettings;

/**
 * The device map of the wired devices: what a driver measured or noticed (readings, contact
 * changes, offline / online) travels on {@code wired/<device>/records}, decoded by
 * {@link WiredRecordCodec}; a UART's lines travel on {@code wired/<device>}, decoded by its codec.
 */
public final class WiredRoutes {
    public static final String TOPIC_PREFIX = "wired/";

    private WiredRoutes() {
    }

    /** The topic of a UART device's lines. */
    public static String topic(String device) {
        return TOPIC_PREFIX + device;
    }

    /** The topic of the canonical records a driver writes for a device. */
    public static String recordsTopic(String device) {
        return TOPIC_PREFIX + device + "/records";
    }

    /**
     * @param codecs the gateway's codecs (the UARTs' codecs come from here)
     * @throws IllegalArgumentException when a UART names a codec that {@code codecs} does not have
     */
    public static TopicRouter router(String school, WiredSettings settings, CodecRegistry codecs) {
        List<Codec> all = new ArrayList<>(codecs.all());
        all.removeIf(c -> c.name().equals(WiredRecordCodec.NAME));
        all.add(new WiredRecordCodec());
        List<TopicRoute> routes = new ArrayList<>();
        for (WiredSettings.Input input : settings.inputs()) {
            routes.add(route(recordsTopic(input.device()), input.device(), input.room(), WiredRecordCodec.NAME));
        }
        for (WiredSettings.I2cSensor sensor : settings.i2c()) {
            routes.add(route(recordsTopic(sensor.device()), sensor.device(), sensor.room(), WiredRecordCodec.NAME));
        }
        for (int i = 0; i < settings.uart().size(); i++) {
            WiredSettings.Uart uart = settings.uart().get(i);
            if (codecs.find(uart.codec()).isEmpty()) {
                throw new IllegalArgumentException("wired.uart[" + i + "].codec: unknown codec '" + uart.codec()
                        + "': known codecs are " + codecs.all().stream().map(Codec::name).toList());
            }
            routes.add(route(topic(uart.device()), uart.device(), uart.room(), uart.codec()));
            routes.add(route(recordsTopic(uart.device()), uart.device(), uart.room(), WiredRecordCodec.NAME));
        }
        return new TopicRouter(school, routes, new CodecRegistry(all));
    }

    private static TopicRoute route(String topic, String device, String room, String codec) {
        return new TopicRoute(topic, codec, room, device, null);
    }
}
