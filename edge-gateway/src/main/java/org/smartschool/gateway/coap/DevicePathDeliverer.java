package org.smartschool.gateway.coap;

import java.util.List;

import org.eclipse.californium.core.server.DelivererException;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Sends every request to the {@link DeviceResource}, whose routes decide which paths are devices;
 * only {@code /.well-known/...} keeps Californium's own resources (discovery).
 */
final class DevicePathDeliverer extends ServerMessageDeliverer {
    private final Resource devices;

    DevicePathDeliverer(Resource root, Configuration config, Resource devices) {
        super(root, config);
        this.devices = devices;
    }

    @Override
    protected Resource findResource(List<String> path) throws DelivererException {
        if (path.isEmpty() || path.get(0).equals(".well-known")) {
            return super.findResource(path);
        }
        return devices;
    }
}
