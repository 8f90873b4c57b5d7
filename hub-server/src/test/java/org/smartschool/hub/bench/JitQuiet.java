package org.smartschool.hub.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits, before a benchmark's clock starts, for the JIT to finish what the untimed preparation gave it. Preparing a
 * round's batches (the simulator, its codecs) makes C2 compile for seconds afterwards, on the same 2 cores as the timed
 * phase: in the ingest benchmark that was ~1 CPU-second per million readings still in a second round of 2 million,
 * charged to the hub's rounds (CpuSplit's "JIT") though none of it was the hub's code.
 */
final class JitQuiet {
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final long POLL_MILLIS = 100;

    private JitQuiet() {
    }

    /**
     * Returns once no compilation has finished for {@code quietMillis}, or after {@code maxMillis}; the milliseconds
     * waited. Returns at once where the JVM does not report compilation time.
     */
    static long await(long quietMillis, long maxMillis) throws InterruptedException {
        if (JIT == null || !JIT.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long started = System.nanoTime();
        long last = JIT.getTotalCompilationTime();
        long quietSince = started;
        while (true) {
            Thread.sleep(POLL_MILLIS);
            long now = System.nanoTime();
            long total = JIT.getTotalCompilationTime();
            if (total != last) {
                last = total;
                quietSince = now;
            } else if (now - quietSince >= quietMillis * 1_000_000L) {
                return (now - started) / 1_000_000L;
            }
            if (now - started >= maxMillis * 1_000_000L) {
                return (now - started) / 1_000_000L;
            }
        }
    }
}
