package org.smartschool.hub.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.vertx.core.buffer.Buffer;

/** Reads a file packaged with the hub, once, when a route group is built. */
final class ClasspathResource {
    private ClasspathResource() {
    }

    static Buffer read(String name) {
        try (InputStream in = ClasspathResource.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the hub jar lacks " + name);
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
