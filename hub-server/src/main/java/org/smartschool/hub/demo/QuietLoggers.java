package org.smartschool.hub.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Lowers chatty loggers to WARN, unless the logback configuration names them: an operator's
 * explicit level always wins. Does nothing when SLF4J is bound to something other than logback.
 */
final class QuietLoggers {
    private QuietLoggers() {
    }

    static void quiet(String... loggerNames) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            for (String name : loggerNames) {
                ch.qos.logback.classic.Logger logger = logback.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.WARN);
                }
            }
        }
    }
}
