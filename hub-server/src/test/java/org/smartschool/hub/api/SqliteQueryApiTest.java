package org.smartschool.hub.api;

import java.nio.file.Path;

import org.smartschool.hub.store.HubStore;

/** The query API on the embedded SQLite store. */
class SqliteQueryApiTest extends QueryApiContract {
    @Override
    protected HubStore openStore(Path dir) {
        return org.smartschool.hub.testsupport.TestStores.sqlite(dir.resolve("hub-store.db"));
    }
}
