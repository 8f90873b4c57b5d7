package org.smartschool.bridge.uplink;

/**
 * Encodes and decodes the uplink batch frame (docs/protocol.md, "Batch frame").
 * A frame decodes whole or not at all.
 */
public final class BatchCodec {

    public byte[] encode(Batch batch) {
        throw new UnsupportedOperationException("TODO: being written");
    }

    /** @throws BatchFormatException naming what is wrong; never returns part of a batch */
    public Batch decode(byte[] frame) throws BatchFormatException {
        throw new UnsupportedOperationException("TODO: being written");
    }
}
