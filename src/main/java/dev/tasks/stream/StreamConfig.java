package dev.tasks.stream;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** Limits and timings of the change stream ({@code GET /tasks/changes/stream}); application.properties has the defaults. */
@ConfigMapping(prefix = "tasks.feed.stream")
public interface StreamConfig {

    /** Open streams per instance; one more is answered 503 with a problem body. */
    int maxSubscribers();

    /** Events sent to one subscriber and not yet written to its connection, at most. */
    int queue();

    /** A subscriber whose queue stays full this long is disconnected; it resumes with Last-Event-ID. */
    Duration stallTimeout();

    /** A comment line is sent on a stream idle this long, so proxies and clients keep it open. */
    Duration heartbeat();

    /** The feed is read this often even without a notification: the safety net for a lost one. */
    Duration pollInterval();

    /** Read again this soon when committed changes wait behind a transaction that is still running. */
    Duration heldRetry();
}
