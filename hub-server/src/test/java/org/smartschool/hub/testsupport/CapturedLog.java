package org.smartschool.hub.testsupport;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Everything the hub logs while it is open (the project's loggers down to DEBUG, everything else from INFO), as
 * the text an operator would read: each line's logger, level, message and the whole chain of its exception.
 * For privacy scans: is a learner's id in any of it?
 */
public final class CapturedLog implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger project = (Logger) LoggerFactory.getLogger("org.smartschool");
    private final Level rootLevel = root.getLevel();
    private final Level projectLevel = project.getLevel();

    private CapturedLog() {
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        project.setLevel(Level.DEBUG);
    }

    public static CapturedLog start() {
        return new CapturedLog();
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** The captured lines, with their exceptions' messages and stack frames. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (ILoggingEvent e : events()) {
            out.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ").append(e.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                out.append("  ").append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    out.append("    ").append(frame.getSTEAsString()).append('\n');
                }
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(rootLevel);
        project.setLevel(projectLevel);
        appender.stop();
    }
}
