package org.smartschool.bridge.codec.lwm2m;

/**
 * A LwM2M resource path as a SenML name carries it: {@code /3303/0/5700}, or with a resource instance
 * {@code /3/0/7/1}. The leading slash is optional (some clients drop it).
 *
 * @param resourceInstance -1 for a single-instance resource
 */
record Lwm2mPath(int object, int instance, int resource, int resourceInstance) {
    /** LwM2M object, instance and resource ids are 16-bit; 65535 is reserved. */
    private static final int MAX_ID = 65534;

    /** The path a name spells, or null when it is not a resource path. */
    static Lwm2mPath parse(String name) {
        int[] ids = new int[4];
        int count = 0;
        int i = name.startsWith("/") ? 1 : 0;
        int length = name.length();
        if (i >= length) {
            return null;
        }
        while (i < length) {
            if (count == ids.length) {
                return null;
            }
            int value = 0;
            int digits = 0;
            while (i < length && name.charAt(i) != '/') {
                char c = name.charAt(i);
                if (c < '0' || c > '9' || ++digits > 5) {
                    return null;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            if (digits == 0 || value > MAX_ID) {
                return null;
            }
            ids[count++] = value;
            i++; // the slash
            if (i == length && name.charAt(length - 1) == '/') {
                return null; // a trailing slash names no resource
            }
        }
        if (count < 3) {
            return null;
        }
        return new Lwm2mPath(ids[0], ids[1], ids[2], count == 4 ? ids[3] : -1);
    }

    /** object and instance in one number, for grouping the records of one object instance */
    long instanceKey() {
        return ((long) object << 16) | instance;
    }

    @Override
    public String toString() {
        return "/" + object + "/" + instance + "/" + resource + (resourceInstance >= 0 ? "/" + resourceInstance : "");
    }
}
