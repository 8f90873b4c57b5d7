package org.smartschool.hub.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HttpConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.config.StoreConfig;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.store.ReadingStore;

/** Hubs for tests: loopback, free ports, a store file in the test's temporary directory. */
public final class HubFixture {
    public static final String SCHOOL_1 = "thcs-nguyen-du";
    public static final String GATEWAY_1 = "gw-nguyen-du";
    public static final String SECRET_1 = "s3cret-nguyen-du";
    public static final String SCHOOL_2 = "th-le-loi";
    public static final String GATEWAY_2 = "gw-le-loi";
    public static final String SECRET_2 = "s3cret-le-loi";
    public static final int MAX_MESSAGE_BYTES = 8 * 1024;

    private HubFixture() {
    }

    /** Two gateways of two schools; batches up to {@link #MAX_MESSAGE_BYTES}. */
    public static HubConfig config(Path dir) {
        return new HubConfig(new HttpConfig("127.0.0.1", 0), new MqttConfig("127.0.0.1", 0, MAX_MESSAGE_BYTES),
                new StoreConfig(dir.resolve("hub-store.db").toString()),
                List.of(new GatewayConfig(GATEWAY_1, SCHOOL_1, "THCS Nguyễn Du", SECRET_1, null),
                        new GatewayConfig(GATEWAY_2, SCHOOL_2, SECRET_2)));
    }

    /** As {@link #config(Path)}, for one of several replicas sharing the state database at {@code stateUrl}. */
    public static HubConfig replicaConfig(Path dir, String stateUrl) {
        return config(dir).withState(new StateConfig(stateUrl, "", "", 4));
    }

    public static Hub start(Vertx vertx, HubConfig config) throws Exception {
        return await(Hub.start(vertx, config));
    }

    public static Hub start(Vertx vertx, HubConfig config, ReadingStore store) throws Exception {
        return await(Hub.start(vertx, config, store));
    }

    public static HubStore openStore(HubConfig config) {
        return TestStores.sqlite(Path.of(config.store().path()));
    }

    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
